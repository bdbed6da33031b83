/** The signed-in user: probed once with `/auth/me`, set by login, cleared by logout or any 401. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { LoginResponse, SessionUser } from '@vosul/common/auth';
import type { PageKey } from '@vosul/common/pages';
import { api, ApiError, setCsrfToken } from '../lib/api';

export const SESSION_KEY = ['auth', 'me'] as const;

async function fetchSession(): Promise<SessionUser | null> {
  try {
    const answer = await api.get<LoginResponse>('/api/v1/auth/me', undefined, { skipAuthRedirect: true });
    setCsrfToken(answer.csrf_token);
    return answer.user;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw e;
  }
}

/** `user` is undefined while the first probe runs, null when nobody is signed in. */
export function useSession() {
  const query = useQuery({ queryKey: SESSION_KEY, queryFn: fetchSession, staleTime: Infinity });
  return { user: query.data, isLoading: query.isPending, error: query.error, refetch: query.refetch };
}

/** The signed-in user; only for screens behind `RequireAuth`. */
export function useUser(): SessionUser {
  const { user } = useSession();
  if (!user) throw new Error('useUser outside a signed-in screen');
  return user;
}

export function useCanOpen(): (page: PageKey) => boolean {
  const { user } = useSession();
  return (page) => !!user?.pages.includes(page);
}

export function fullName(user: Pick<SessionUser, 'first_name' | 'last_name' | 'username'>): string {
  const name = `${user.first_name} ${user.last_name}`.trim();
  return name || user.username;
}

export function useLogin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { username: string; password: string }) =>
      api.post<LoginResponse>('/api/v1/auth/login', body, { skipAuthRedirect: true }),
    onSuccess: (answer) => {
      setCsrfToken(answer.csrf_token);
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] });
      client.setQueryData(SESSION_KEY, answer.user);
    },
  });
}

export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<void>('/api/v1/auth/logout', undefined, { skipAuthRedirect: true }),
    onSettled: () => {
      setCsrfToken(null);
      client.setQueryData(SESSION_KEY, null);
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] });
    },
  });
}
