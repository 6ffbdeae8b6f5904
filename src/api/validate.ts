import type { z } from 'zod';
import { InvalidInputError } from '../shared/errors.ts';

/** Parses request input with a zod schema; problems become one clear 400 message. */
export function validate<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || what}: ${issue.message}`)
      .join('; ');
    throw new InvalidInputError(`Invalid ${what}: ${problems}`);
  }
  return parsed.data;
}
