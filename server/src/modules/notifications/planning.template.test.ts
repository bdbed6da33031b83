import { describe, expect, it } from 'vitest';
import { compileTemplate } from './planning.template.js';

const column = (key: string) => `v.${key}`;

describe('compileTemplate', () => {
  it('binds the literal words as parameters and turns each placeholder into its kind of SQL', () => {
    const params: unknown[] = ['earlier'];
    const compiled = compileTemplate(
      '{{gender_title}} {{ borrower_last_name }}، مبلغ {{overdue_amount}} از {{due_date}} ({{overdue_days}} روز)',
      params,
      column,
    );
    expect(params).toEqual(['earlier', ' ', '، مبلغ ', ' از ', ' (', ' روز)']);
    expect(compiled.sql).toBe(
      '(vosul_gender_title(v.gender_title) || $2::text || ' +
        "coalesce(v.borrower_last_name::text, '') || $3::text || " +
        "coalesce(vosul_fa_money(v.overdue_amount), '') || $4::text || " +
        "coalesce(vosul_fa_digits((SELECT j.jalali FROM jalali_days j WHERE j.day = v.due_date)), '') || $5::text || " +
        "coalesce(vosul_fa_digits(v.overdue_days::text), '') || $6::text)",
    );
    expect([...compiled.keys]).toEqual([
      'gender_title',
      'borrower_last_name',
      'overdue_amount',
      'due_date',
      'overdue_days',
    ]);
  });

  it('leaves an unknown placeholder as written, inside the literal text (never as SQL)', () => {
    const params: unknown[] = [];
    const compiled = compileTemplate("{{x'); DROP TABLE users; --}} شعبه {{branch_name}}", params, column);
    expect(params).toEqual(["{{x'); DROP TABLE users; --}} شعبه "]);
    expect(compiled.sql).toBe("($1::text || coalesce(v.branch_name::text, ''))");
  });

  it('compiles a text without placeholders to one parameter, and an empty one to an empty string', () => {
    const params: unknown[] = [];
    expect(compileTemplate('قسط خود را بپردازید', params, column).sql).toBe('($1::text)');
    expect(params).toEqual(['قسط خود را بپردازید']);
    expect(compileTemplate('', params, column).sql).toBe("''::text");
  });
});
