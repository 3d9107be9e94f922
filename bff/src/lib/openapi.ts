import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Scope } from '@okr-embed/contract';
import { requireScope } from './auth.js';
import { AppError } from './errors.js';

/** A request header an operation reads. A required one is a precondition: 428 when missing. */
export interface HeaderDeclaration {
  schema: z.ZodType;
  required: boolean;
  description: string;
}

export interface Operation {
  /** What client generators name the call after: camelCase, unique in the API. */
  operationId: string;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express syntax, relative to /api/v1: `/goals/:id`. */
  path: string;
  summary: string;
  scope?: Scope;
  params?: z.ZodObject;
  query?: z.ZodType;
  headers?: Record<string, HeaderDeclaration>;
  body?: z.ZodType;
  /** The shape of the success answer (the first 2xx below). */
  response?: z.ZodType;
  /**
   * A success answer that is a stream rather than one JSON body: its media type, and what a
   * client reads from it.
   */
  stream?: { mediaType: 'text/event-stream'; description: string };
  /** Status → description; the first 2xx is the success answer. */
  responses: Record<number, string>;
}

type Parsed<O, Part extends string> = O extends { [P in Part]: infer S extends z.ZodType }
  ? z.output<S>
  : undefined;

type HeaderValues<H> = {
  [Name in keyof H]: H[Name] extends { schema: infer S extends z.ZodType; required: true }
    ? z.output<S>
    : H[Name] extends { schema: infer S extends z.ZodType }
      ? z.output<S> | undefined
      : never;
};

/** What a handler gets: each declared part of the request, parsed by its declared schema. */
export interface RouteInput<O extends Operation> {
  params: Parsed<O, 'params'>;
  query: Parsed<O, 'query'>;
  headers: O extends { headers: infer H } ? HeaderValues<H> : Record<string, never>;
  body: Parsed<O, 'body'>;
}

export type RouteHandler<O extends Operation> = (
  req: Request,
  res: Response,
  input: RouteInput<O>,
) => void | Promise<void>;

/**
 * Checks what a route may only get wrong once, when the app is wired: an undeclared path
 * parameter would reach the handler unvalidated, and a missing or repeated operationId would
 * break the client generators that name functions after it.
 */
function assertDeclared(operation: Operation, known: Operation[]): void {
  const where = `${operation.method.toUpperCase()} ${operation.path}`;
  if (!/^[a-z][A-Za-z0-9]*$/.test(operation.operationId)) {
    throw new Error(`${where}: operationId "${operation.operationId}" is not camelCase`);
  }
  const twin = known.find((other) => other.operationId === operation.operationId);
  if (twin) {
    throw new Error(
      `${where}: operationId "${operation.operationId}" is taken by ${twin.method.toUpperCase()} ${twin.path}`,
    );
  }
  const inPath = [...operation.path.matchAll(/:(\w+)/g)].map((match) => match[1]).sort();
  const declared = Object.keys(operation.params?.shape ?? {}).sort();
  if (inPath.join() !== declared.join()) {
    throw new Error(
      `${where}: path parameters [${inPath.join(', ')}] but params declares [${declared.join(', ')}]`,
    );
  }
}

/** Validates one part of a request; failures are 400 with the failing fields. */
function parse<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new AppError(
    'validation_failed',
    `The request ${where} is invalid`,
    400,
    result.error.issues.map((issue) => ({
      field: [where, ...issue.path.map(String)].join('.'),
      message: issue.message,
    })),
  );
}

/**
 * Parses each declared part in the order a client can fix them: which resource, how it is
 * asked for, the preconditions, then what is sent (the order the handlers checked them in
 * before). A part with no schema is `undefined` in the input: to use it, a route declares it.
 */
function readInput<O extends Operation>(operation: O, req: Request): RouteInput<O> {
  const params = operation.params && parse(operation.params, req.params, 'path');
  const query = operation.query && parse(operation.query, req.query, 'query');
  const headers: Record<string, unknown> = {};
  for (const [name, header] of Object.entries(operation.headers ?? {})) {
    const value = req.get(name);
    if (value !== undefined) headers[name] = parse(header.schema, value, `header ${name}`);
    else if (header.required) {
      throw new AppError('precondition_required', `Send ${name}: ${header.description}`, 428);
    }
  }
  const body = operation.body && parse(operation.body, req.body, 'body');
  return { params, query, headers, body } as RouteInput<O>;
}

/**
 * Routes are declared with the schemas that validate them, and the router does the validating,
 * so the OpenAPI document below is generated from exactly what the server checks and a handler
 * only sees input that passed. The scope guard runs first: a caller without the scope learns
 * nothing about what a valid request would look like.
 */
export class ApiRouter {
  readonly router = Router();
  readonly operations: Operation[] = [];

  add<const O extends Operation>(operation: O, handler: RouteHandler<O>): void {
    assertDeclared(operation, this.operations);
    this.operations.push(operation);
    const guards = operation.scope ? [requireScope(operation.scope)] : [];
    // The handler's own promise goes back to the router (which forwards its rejection): no
    // second promise and turn of the event loop per request around it.
    this.router[operation.method](operation.path, ...guards, (req: Request, res: Response) =>
      handler(req, res, readInput(operation, req)),
    );
  }
}

const jsonSchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });

const errorResponse = {
  description: 'Error',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};

/**
 * The operation's own answers plus the ones ApiRouter gives for it: 400 when a declared part
 * fails its schema, 428 when a required header is missing. Written here from the declarations,
 * they cannot be forgotten on a route that never mentions them.
 */
function routerAnswers(op: Operation): Record<number, string> {
  const answers = { ...op.responses };
  if (op.params || op.query || op.headers || op.body) {
    answers[400] ??= 'A path parameter, query, header or body fails its schema';
  }
  const required = Object.entries(op.headers ?? {}).filter(([, header]) => header.required);
  if (required.length > 0) {
    answers[428] ??= `${required.map(([name]) => name).join(', ')} missing`;
  }
  return answers;
}

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
    for (const [status, description] of Object.entries(routerAnswers(op))) {
      responses[status] =
        Number(status) >= 400
          ? { ...errorResponse, description }
          : status === success && op.stream
            ? {
                description,
                content: {
                  [op.stream.mediaType]: {
                    schema: { type: 'string', description: op.stream.description },
                  },
                },
              }
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
        operationId: op.operationId,
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
      // The project is not open source (package.json says UNLICENSED, npm's word for it); SPDX
      // has no identifier for that, so it gets a LicenseRef- one, SPDX's form for any other.
      license: { name: 'Proprietary, all rights reserved', identifier: 'LicenseRef-Proprietary' },
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
