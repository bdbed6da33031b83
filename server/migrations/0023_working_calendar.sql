-- Issue 5 point 3: the working-day calendar the notification planner reads. A day is a working day
-- unless it is a Friday, a holiday or closure of the whole country, or a closure of the branch's province.
--
-- kind 'official': an official holiday of the country (province_id NULL); kind 'closure': an ad-hoc
-- closure (snow, pollution, elections…) of the whole country (province_id NULL) or of one province.
CREATE TABLE holidays (
  id serial PRIMARY KEY,
  day date NOT NULL,
  title text NOT NULL COLLATE "fa-x-icu",
  province_id integer REFERENCES provinces(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('official', 'closure')),
  created_by integer REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- an official holiday is the whole country's; only closures name a province
  CONSTRAINT holidays_official_national CHECK (kind = 'closure' OR province_id IS NULL),
  -- one entry per day and province (NULL = the country counts as one value); its index leads with
  -- `day`, so it also serves the working-day functions' look-ups by day
  CONSTRAINT holidays_day_province UNIQUE NULLS NOT DISTINCT (day, province_id)
);
CREATE INDEX holidays_province_id ON holidays (province_id);
CREATE INDEX holidays_created_by ON holidays (created_by);

-- Is `d` a working day for a branch in province `province_id` (NULL: only country-wide days count)?
-- Plain SQL with no LIMIT, so the planner inlines it into set-based queries.
CREATE FUNCTION vosul_is_working_day(d date, province_id integer) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT extract(isodow FROM d) <> 5
     AND NOT EXISTS (
       SELECT 1 FROM holidays h
       WHERE h.day = d
         AND (h.province_id IS NULL OR h.province_id = vosul_is_working_day.province_id))
$$;

-- The first working day on or after `d` for province `province_id` (d itself when it is one); looks a
-- year ahead at most, a few index probes in practice.
CREATE FUNCTION vosul_next_working_day(d date, province_id integer) RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT d + i
  FROM generate_series(0, 366) AS i
  WHERE vosul_is_working_day(d + i, vosul_next_working_day.province_id)
  ORDER BY i
  LIMIT 1
$$;

-- Iran's official holidays of 1404, 1405 and 1406 (Gregorian days, Persian titles; two occasions on
-- one day share its row). How the dates were obtained (a throw-away Node script, not kept):
-- * solar ones are fixed Jalali days (1–4, 12, 13 Farvardin; 14, 15 Khordad; 22 Bahman; 29 Esfand),
--   converted with common/src/jalali.ts (date-fns-jalali);
-- * 1404's lunar ones, and 1405's from Farvardin to Tir (Eid al-Fitr 1447 on 1–2 Farvardin, Qurban,
--   Ghadir, Tasua, Ashura), are the officially published calendar (شورای فرهنگ عمومی, from the
--   University of Tehran's Geophysics Institute) as reported by the press;
-- * the other lunar ones of 1405 and 1406 are computed: the day whose Hijri date in Node's
--   Intl.DateTimeFormat('en-u-ca-islamic-umalqura') is the occasion's (the end of Safar = the day
--   before 1 Rabi' al-Awwal; 25 Shawwal 1447 counted from Iran's published 1 Shawwal). Iran's
--   official lunar dates follow the sighting of the moon and can differ from these by a day: the
--   working-calendar page edits them.
INSERT INTO holidays (day, title, kind) VALUES
  ('2025-03-21', 'آغاز نوروز', 'official'),
  ('2025-03-22', 'عید نوروز؛ شهادت حضرت علی (ع)', 'official'),
  ('2025-03-23', 'عید نوروز', 'official'),
  ('2025-03-24', 'عید نوروز', 'official'),
  ('2025-03-31', 'عید سعید فطر', 'official'),
  ('2025-04-01', 'روز جمهوری اسلامی ایران؛ تعطیل به مناسبت عید سعید فطر', 'official'),
  ('2025-04-02', 'روز طبیعت', 'official'),
  ('2025-04-24', 'شهادت امام جعفر صادق (ع)', 'official'),
  ('2025-06-04', 'رحلت حضرت امام خمینی (ره)', 'official'),
  ('2025-06-05', 'قیام ۱۵ خرداد', 'official'),
  ('2025-06-06', 'عید سعید قربان', 'official'),
  ('2025-06-14', 'عید سعید غدیر خم', 'official'),
  ('2025-07-05', 'تاسوعای حسینی', 'official'),
  ('2025-07-06', 'عاشورای حسینی', 'official'),
  ('2025-08-14', 'اربعین حسینی', 'official'),
  ('2025-08-22', 'رحلت حضرت رسول اکرم (ص) و شهادت امام حسن مجتبی (ع)', 'official'),
  ('2025-08-24', 'شهادت امام رضا (ع)', 'official'),
  ('2025-09-01', 'شهادت امام حسن عسکری (ع)', 'official'),
  ('2025-09-10', 'میلاد حضرت رسول اکرم (ص) و امام جعفر صادق (ع)', 'official'),
  ('2025-11-24', 'شهادت حضرت فاطمه زهرا (س)', 'official'),
  ('2026-01-03', 'ولادت امام علی (ع) و روز پدر', 'official'),
  ('2026-01-17', 'مبعث حضرت رسول اکرم (ص)', 'official'),
  ('2026-02-04', 'ولادت حضرت قائم (عج) و جشن نیمه شعبان', 'official'),
  ('2026-02-11', 'پیروزی انقلاب اسلامی', 'official'),
  ('2026-03-11', 'شهادت حضرت علی (ع)', 'official'),
  ('2026-03-20', 'روز ملی شدن صنعت نفت ایران', 'official'),
  ('2026-03-21', 'آغاز نوروز؛ عید سعید فطر', 'official'),
  ('2026-03-22', 'عید نوروز؛ تعطیل به مناسبت عید سعید فطر', 'official'),
  ('2026-03-23', 'عید نوروز', 'official'),
  ('2026-03-24', 'عید نوروز', 'official'),
  ('2026-04-01', 'روز جمهوری اسلامی ایران', 'official'),
  ('2026-04-02', 'روز طبیعت', 'official'),
  ('2026-04-14', 'شهادت امام جعفر صادق (ع)', 'official'),
  ('2026-05-27', 'عید سعید قربان', 'official'),
  ('2026-06-04', 'رحلت حضرت امام خمینی (ره)؛ عید سعید غدیر خم', 'official'),
  ('2026-06-05', 'قیام ۱۵ خرداد', 'official'),
  ('2026-06-24', 'تاسوعای حسینی', 'official'),
  ('2026-06-25', 'عاشورای حسینی', 'official'),
  ('2026-08-03', 'اربعین حسینی', 'official'),
  ('2026-08-11', 'رحلت حضرت رسول اکرم (ص) و شهادت امام حسن مجتبی (ع)', 'official'),
  ('2026-08-13', 'شهادت امام رضا (ع)', 'official'),
  ('2026-08-21', 'شهادت امام حسن عسکری (ع)', 'official'),
  ('2026-08-30', 'میلاد حضرت رسول اکرم (ص) و امام جعفر صادق (ع)', 'official'),
  ('2026-11-13', 'شهادت حضرت فاطمه زهرا (س)', 'official'),
  ('2026-12-22', 'ولادت امام علی (ع) و روز پدر', 'official'),
  ('2027-01-05', 'مبعث حضرت رسول اکرم (ص)', 'official'),
  ('2027-01-23', 'ولادت حضرت قائم (عج) و جشن نیمه شعبان', 'official'),
  ('2027-02-11', 'پیروزی انقلاب اسلامی', 'official'),
  ('2027-02-28', 'شهادت حضرت علی (ع)', 'official'),
  ('2027-03-09', 'عید سعید فطر', 'official'),
  ('2027-03-10', 'تعطیل به مناسبت عید سعید فطر', 'official'),
  ('2027-03-20', 'روز ملی شدن صنعت نفت ایران', 'official'),
  ('2027-03-21', 'آغاز نوروز', 'official'),
  ('2027-03-22', 'عید نوروز', 'official'),
  ('2027-03-23', 'عید نوروز', 'official'),
  ('2027-03-24', 'عید نوروز', 'official'),
  ('2027-04-01', 'روز جمهوری اسلامی ایران', 'official'),
  ('2027-04-02', 'روز طبیعت؛ شهادت امام جعفر صادق (ع)', 'official'),
  ('2027-05-16', 'عید سعید قربان', 'official'),
  ('2027-05-24', 'عید سعید غدیر خم', 'official'),
  ('2027-06-04', 'رحلت حضرت امام خمینی (ره)', 'official'),
  ('2027-06-05', 'قیام ۱۵ خرداد', 'official'),
  ('2027-06-14', 'تاسوعای حسینی', 'official'),
  ('2027-06-15', 'عاشورای حسینی', 'official'),
  ('2027-07-24', 'اربعین حسینی', 'official'),
  ('2027-08-01', 'رحلت حضرت رسول اکرم (ص) و شهادت امام حسن مجتبی (ع)', 'official'),
  ('2027-08-02', 'شهادت امام رضا (ع)', 'official'),
  ('2027-08-10', 'شهادت امام حسن عسکری (ع)', 'official'),
  ('2027-08-19', 'میلاد حضرت رسول اکرم (ص) و امام جعفر صادق (ع)', 'official'),
  ('2027-11-02', 'شهادت حضرت فاطمه زهرا (س)', 'official'),
  ('2027-12-11', 'ولادت امام علی (ع) و روز پدر', 'official'),
  ('2027-12-25', 'مبعث حضرت رسول اکرم (ص)', 'official'),
  ('2028-01-12', 'ولادت حضرت قائم (عج) و جشن نیمه شعبان', 'official'),
  ('2028-02-11', 'پیروزی انقلاب اسلامی', 'official'),
  ('2028-02-17', 'شهادت حضرت علی (ع)', 'official'),
  ('2028-02-26', 'عید سعید فطر', 'official'),
  ('2028-02-27', 'تعطیل به مناسبت عید سعید فطر', 'official'),
  ('2028-03-19', 'روز ملی شدن صنعت نفت ایران', 'official');

-- The page (common/src/pages.ts) for the administrators of existing installations.
INSERT INTO access_group_pages (group_id, page_key)
SELECT id, 'working_calendar' FROM access_groups WHERE code = 'hq_admin'
ON CONFLICT DO NOTHING;
