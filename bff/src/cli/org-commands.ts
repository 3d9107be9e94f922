import { readFileSync } from 'node:fs';
import {
  badValue,
  checkedOrigins,
  integer,
  list,
  oneOf,
  onOff,
  parse,
  print,
  text,
  type Command,
  type Values,
} from './args.js';
import { withSession } from './session.js';
import { AppError } from '../lib/errors.js';
import type { KeyListing, OrgRecord } from '../components/orgs/orgs.repository.js';

async function checkedScope(values: Values): Promise<string | undefined> {
  const scope = text(values, 'scope');
  if (scope === undefined) return undefined;
  const { SCOPES: knownScopes } = await import('@okr-embed/contract');
  const requested = scope.split(/\s+/).filter(Boolean);
  const unknown = requested.filter((s) => !(knownScopes as readonly string[]).includes(s));
  if (unknown.length > 0 || requested.length === 0) {
    throw badValue(
      'invalid_scope',
      `--scope: unknown scope ${unknown.map((s) => `"${s}"`).join(', ') || '(none given)'}; known: ${knownScopes.join(' ')}`,
    );
  }
  return requested.join(' ');
}

function describeOrg(org: OrgRecord): string {
  return [
    `${org.slug}: ${org.name} (${org.id})`,
    `  issuer: ${org.issuer}`,
    `  origins: ${org.allowedOrigins.join(' ') || '(none: no browser may call the API for it)'}`,
    `  initiatives count toward progress: ${org.settings.initiativesCount ? 'on' : 'off'}`,
  ].join('\n');
}

const describeKey = (key: KeyListing) =>
  `${key.kid}  ${key.org}  ${key.alg}  ${key.status}  created ${key.createdAt}${key.retiredAt ? `  retired ${key.retiredAt}` : ''}`;

export const orgCommands: Record<string, Command> = {
  async 'org create'(args, context) {
    const { values } = parse(
      args,
      {
        slug: { type: 'string' },
        name: { type: 'string' },
        issuer: { type: 'string' },
        origin: { type: 'string', multiple: true },
        'initiatives-count': { type: 'string' },
      },
      { required: ['slug', 'name'] },
    );
    const origins = await checkedOrigins(values, 'origin');
    const initiativesCount = onOff(values, 'initiatives-count');
    const org = await withSession(context, 'write', ({ orgs }) =>
      orgs.createOrg({
        slug: text(values, 'slug') ?? '',
        name: text(values, 'name') ?? '',
        issuer: text(values, 'issuer'),
        origins,
        initiativesCount,
      }),
    );
    print(values, org, `Created org ${describeOrg(org)}`);
  },

  async 'org list'(args, context) {
    const { values } = parse(args, {});
    const all = await withSession(context, 'read', ({ orgs }) => orgs.listOrgs());
    print(
      values,
      all,
      all.length === 0
        ? 'No organizations yet: okr org create --slug S --name N'
        : all
            .map(
              (org) =>
                `${org.slug}  ${org.name}  ${org.issuer}  ${org.allowedOrigins.join(' ') || '-'}`,
            )
            .join('\n'),
    );
  },

  async 'org show'(args, context) {
    const { values, positionals } = parse(args, {}, { positionals: ['slug'] });
    const org = await withSession(context, 'read', ({ orgs }) =>
      orgs.showOrg(positionals[0] ?? ''),
    );
    const counts = Object.entries(org.counts)
      .map(([what, n]) => `${n} ${what}`)
      .join(', ');
    print(
      values,
      org,
      `${describeOrg(org)}\n  data: ${counts}\n  keys:${org.keys.length ? org.keys.map((k) => `\n    ${describeKey(k)}`).join('') : ' (none)'}`,
    );
  },

  async 'org update'(args, context) {
    const { values, positionals } = parse(
      args,
      {
        name: { type: 'string' },
        issuer: { type: 'string' },
        'add-origin': { type: 'string', multiple: true },
        'remove-origin': { type: 'string', multiple: true },
        'initiatives-count': { type: 'string' },
      },
      { positionals: ['slug'] },
    );
    const addOrigins = await checkedOrigins(values, 'add-origin');
    const removeOrigins = list(values, 'remove-origin');
    const initiativesCount = onOff(values, 'initiatives-count');
    const name = text(values, 'name');
    const issuer = text(values, 'issuer');
    if (
      [name, issuer, initiativesCount].every((v) => v === undefined) &&
      addOrigins.length + removeOrigins.length === 0
    ) {
      throw badValue(
        'usage',
        'Nothing to change: give --name, --issuer, --add-origin, --remove-origin or --initiatives-count',
      );
    }
    const org = await withSession(context, 'write', ({ orgs }) =>
      orgs.updateOrg(positionals[0] ?? '', {
        name,
        issuer,
        addOrigins,
        removeOrigins,
        initiativesCount,
      }),
    );
    print(
      values,
      org,
      `Updated org ${describeOrg(org)}\n(Running servers see the change within 5 s.)`,
    );
  },

  async 'org delete'(args, context) {
    const { values, positionals } = parse(
      args,
      { yes: { type: 'boolean' }, 'with-data': { type: 'boolean' } },
      { positionals: ['slug'] },
    );
    if (values.yes !== true) {
      throw badValue('confirmation_required', 'Deleting an org cannot be undone: add --yes');
    }
    const result = await withSession(context, 'write', ({ orgs }) =>
      orgs.deleteOrg(positionals[0] ?? '', values['with-data'] === true),
    );
    print(values, result, `Deleted org ${result.slug} and ${result.deleted.goals} goals`);
  },

  async 'key list'(args, context) {
    const { values } = parse(args, { org: { type: 'string' } });
    const keys = await withSession(context, 'read', ({ orgs }) =>
      orgs.listKeys(text(values, 'org')),
    );
    print(values, keys, keys.length === 0 ? 'No keys.' : keys.map(describeKey).join('\n'));
  },

  async 'key add'(args, context) {
    const { values } = parse(
      args,
      { org: { type: 'string' }, alg: { type: 'string' }, 'public-key': { type: 'string' } },
      { required: ['org', 'alg'] },
    );
    const alg = oneOf(values, 'alg', ['HS256', 'ES256', 'RS256'] as const) ?? 'HS256';
    const file = text(values, 'public-key');
    let pem: string | undefined;
    if (file) {
      try {
        pem = readFileSync(file, 'utf8');
      } catch {
        throw new AppError('unreadable_file', `Cannot read ${file}`, 400);
      }
    }
    const key = await withSession(context, 'write', ({ orgs }) =>
      orgs.addKey(text(values, 'org') ?? '', alg, pem),
    );
    print(
      values,
      key,
      `kid: ${key.kid}\nalg: ${key.alg}${'secret' in key ? `\nsecret: ${key.secret}\n(Shown once. Store it on the host's server; it signs the users' tokens.)` : ''}`,
    );
  },

  async 'key retire'(args, context) {
    const { values } = parse(args, { kid: { type: 'string' } }, { required: ['kid'] });
    const result = await withSession(context, 'write', ({ orgs }) =>
      orgs.retireKey(text(values, 'kid') ?? ''),
    );
    print(values, result, `Retired ${result.kid} (running servers refuse it within 5 s)`);
  },

  async token(args, context) {
    const { values } = parse(
      args,
      {
        org: { type: 'string' },
        kid: { type: 'string' },
        sub: { type: 'string' },
        name: { type: 'string' },
        email: { type: 'string' },
        teams: { type: 'string' },
        scope: { type: 'string' },
        ttl: { type: 'string' },
      },
      { required: ['org', 'sub'] },
    );
    const ttlSeconds = integer(values, 'ttl', 1, 3600);
    const scope = await checkedScope(values);
    const teams = text(values, 'teams');
    const signed = await withSession(context, 'read', ({ orgs, config }) =>
      orgs.signToken(
        {
          org: text(values, 'org') ?? '',
          kid: text(values, 'kid'),
          sub: text(values, 'sub') ?? '',
          name: text(values, 'name'),
          email: text(values, 'email'),
          teams: teams
            ?.split(',')
            .map((t) => t.trim())
            .filter(Boolean),
          scope,
          ttlSeconds,
        },
        config.production,
      ),
    );
    print(values, signed, signed.token);
  },
};
