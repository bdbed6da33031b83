/**
 * Times of day inside and outside quiet hours (B1), shared by the dispatcher's `inQuietHours` and the
 * planner's `vosul_in_quiet_hours` (migration 0030), so the two read a span the same way.
 */
export const QUIET_HOURS_CASES: { from: string; to: string; at: string; quiet: boolean }[] = [
  // a span within one day
  { from: '08:00', to: '15:00', at: '07:59', quiet: false },
  { from: '08:00', to: '15:00', at: '08:00', quiet: true },
  { from: '08:00', to: '15:00', at: '14:59', quiet: true },
  { from: '08:00', to: '15:00', at: '15:00', quiet: false },
  // a span past midnight, its ends without a leading zero as typed
  { from: '21:00', to: '8:00', at: '21:30', quiet: true },
  { from: '21:00', to: '8:00', at: '00:00', quiet: true },
  { from: '21:00', to: '8:00', at: '06:30', quiet: true },
  { from: '21:00', to: '8:00', at: '08:00', quiet: false },
  { from: '21:00', to: '8:00', at: '19:30', quiet: false },
  { from: '21:00', to: '8:00', at: '20:59', quiet: false },
  // equal ends: no quiet hours
  { from: '10:00', to: '10:00', at: '10:00', quiet: false },
];
