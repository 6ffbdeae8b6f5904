import type { z } from 'zod';

/** Which fields of a JSON record failed its schema, for a ParseIssue. */
export function recordProblem(error: z.ZodError): string {
  const fields = [...new Set(error.issues.map((issue) => issue.path.join('.') || 'record'))];
  return `missing or invalid ${fields.join(', ')}`;
}
