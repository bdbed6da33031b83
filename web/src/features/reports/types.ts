/** One sign-in attempt (V28), as `GET /api/v1/login-events` answers it. */
export interface LoginEvent {
  id: string;
  at: string;
  username: string;
  user_id: number | null;
  succeeded: boolean;
  reason: string | null;
  ip: string | null;
  user_agent: string | null;
}

export const LOGIN_EVENTS_API = '/api/v1/login-events';
