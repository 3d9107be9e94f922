import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Scope } from '@okr-embed/contract';
import { requireScope } from './auth.js';

export interface Operation {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** Express syntax, relative to /api/v1: `/goals/:id`. */
  path: string;
  summary: string;
  scope?: Scope;
  params?: z.ZodObject;
  query?: z.ZodType;
  headers?: Record<string, { schema: z.ZodType; required: boolean; description: string }>;
  body?: z.ZodType;
  /** The shape of the success answer (the first 2xx below). */
  response?: z.ZodType;
  /** Status → description; the first 2xx is the success answer. */
  responses: Record<number, string>;
}

/**
 * Routes are declared with the schemas that validate them, so the OpenAPI document below is
 * generated from exactly what the server checks.
 */
export class ApiRouter {
  readonly router = Router();
  readonly operations: Operation[] = [];

  add(operation: Operation, handler: RequestHandler): void {
    this.operations.push(operation);
    const guards = operation.scope ? [requireScope(operation.scope)] : [];
    this.router[operation.method](operation.path, ...guards, handler);
  }
}

const jsonSchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });

const errorResponse = {
  description: 'Error',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};

export function openApiDocument(operations: Operation[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const path = op.path.replace(/:(\w+)/g, '{$1}');
    const parameters: unknown[] = [];
    for (const [name, schema] of Object.entries(op.params?.shape ?? {})) {
      parameters.push({
        name,
        in: 'path',
        required: true,
        schema: jsonSchema(schema as z.ZodType),
      });
    }
    const query = op.query
      ? (jsonSchema(op.query) as { properties?: Record<string, unknown>; required?: string[] })
      : {};
    for (const [name, schema] of Object.entries(query.properties ?? {})) {
      parameters.push({
        name,
        in: 'query',
        required: query.required?.includes(name) ?? false,
        schema,
      });
    }
    for (const [name, header] of Object.entries(op.headers ?? {})) {
      parameters.push({
        name,
        in: 'header',
        required: header.required,
        description: header.description,
        schema: jsonSchema(header.schema),
      });
    }
    const responses: Record<string, unknown> = {};
    const success = Object.keys(op.responses).find((status) => status.startsWith('2'));
    for (const [status, description] of Object.entries(op.responses)) {
      responses[status] =
        Number(status) >= 400
          ? { ...errorResponse, description }
          : status === success && op.response
            ? {
                description,
                content: {
                  'application/json': {
                    schema: z.toJSONSchema(op.response, { io: 'output', unrepresentable: 'any' }),
                  },
                },
              }
            : { description };
    }
    paths[path] = {
      ...paths[path],
      [op.method]: {
        summary: op.summary,
        ...(op.scope ? { security: [{ bearer: [op.scope] }] } : {}),
        parameters,
        ...(op.body
          ? {
              requestBody: {
                required: true,
                content: { 'application/json': { schema: jsonSchema(op.body) } },
              },
            }
          : {}),
        responses,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'okr-embed BFF',
      version: '1',
      description:
        'View-shaped JSON for the okr-embed widgets. Every call needs a host-signed JWT (see the README).',
    },
    servers: [{ url: '/api/v1' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message', 'requestId'],
              properties: {
                code: { type: 'string' },
                message: { type: 'string' },
                details: {},
                requestId: { type: 'string' },
              },
            },
          },
        },
      },
    },
    paths,
  };
}
