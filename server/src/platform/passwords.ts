import { hash, verify } from '@node-rs/argon2';
import { invalidField } from './errors.js';

const ARGON2ID = {
  algorithm: 2 /* Algorithm.Argon2id (a const enum) */,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2ID);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** V1/V4/V5 password rules: at least 10 characters and not the username. */
export function checkPasswordRules(password: string, username: string, field = 'password'): void {
  if ([...password].length < 10) throw invalidField(field, 'رمز عبور باید دست‌کم ۱۰ نویسه باشد');
  if (password.trim().toLowerCase() === username.trim().toLowerCase())
    throw invalidField(field, 'رمز عبور نباید با نام کاربری یکسان باشد');
}
