import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';

/**
 * Fastify validates and serializes with the protocol's zod schemas (no second JSON Schema copy to
 * drift): a request body is replaced by zod's parsed value, a response is checked before it leaves.
 */
export function useZod(app: FastifyInstance): void {
  app.setValidatorCompiler<z.ZodType>(({ schema }) => (data) => {
    const result = schema.safeParse(data);
    if (result.success) return { value: result.data };
    const issues = result.error.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message }));
    return { error: Object.assign(new Error('request does not match the protocol'), { validation: issues }) };
  });
  app.setSerializerCompiler<z.ZodType>(({ schema }) => (data) => JSON.stringify(schema.parse(data)));
}
