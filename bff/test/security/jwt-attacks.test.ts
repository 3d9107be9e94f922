/**
 * RFC 8725 attacks on the token check, crafted with jose (not the jsonwebtoken library the BFF
 * verifies with), so a shared bug in one library cannot make both sides agree.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SignJWT, exportSPKI, generateKeyPair, type JWTPayload } from 'jose';
import { dialects, startTestApp, type TestApp, type TestOrg } from '../support/harness.js';
import { fingerprint, queryLog } from '../support/security.js';

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const nowSeconds = () => Math.floor(Date.now() / 1000);

for (const dialect of dialects()) {
  describe(`[${dialect.name}] security: JWT attacks`, () => {
    let app: TestApp;
    let orgA: TestOrg;
    let orgB: TestOrg;
    const log = queryLog();

    before(async () => {
      app = await startTestApp(dialect, { wrapDb: log.wrap });
      orgA = await app.createOrg();
      orgB = await app.createOrg();
    });
    after(() => app.close());

    /** The claims a well-behaved host signs for org A. */
    const claimsOfA = (extra: JWTPayload = {}): JWTPayload => {
      const now = nowSeconds();
      return {
        sub: 'attacker',
        name: 'Attacker',
        scope: 'okr:read okr:admin',
        iss: orgA.issuer,
        aud: 'okr-embed',
        iat: now,
        exp: now + 300,
        ...extra,
      };
    };
    const signHs = (payload: JWTPayload, secret: Uint8Array, kid: string) =>
      new SignJWT(payload).setProtectedHeader({ alg: 'HS256', kid, typ: 'JWT' }).sign(secret);

    async function expect401(token: string, why: string) {
      const answer = await app.request('GET', '/api/v1/me', { token });
      assert.equal(answer.status, 401, `${why}: ${answer.status} ${answer.text}`);
      assert.match(answer.headers.get('www-authenticate') ?? '', /^Bearer realm="okr-embed"/);
      assert.equal(answer.body.error.code, 'invalid_token', why);
      assert.equal(typeof answer.body.error.message, 'string');
      assert.equal(typeof answer.body.error.requestId, 'string');
      assert.ok(!/at .*\.ts:\d+/.test(answer.text), `${why}: a stack trace leaked`);
    }

    it('when the control token is signed correctly, then it is accepted (so the 401s below mean something)', async () => {
      const answer = await app.request('GET', '/api/v1/me', {
        token: await signHs(claimsOfA(), orgA.secret, orgA.kid),
      });
      assert.equal(answer.status, 200, answer.text);
      assert.equal(answer.body.org.id, orgA.id);
    });

    it('when alg is none (with or without a signature part), then 401', async () => {
      const unsigned = `${b64({ alg: 'none', kid: orgA.kid, typ: 'JWT' })}.${b64(claimsOfA())}`;
      await expect401(`${unsigned}.`, 'alg none, empty signature');
      await expect401(`${unsigned}.${b64({ x: 1 })}`, 'alg none, junk signature');
      const upper = `${b64({ alg: 'NONE', kid: orgA.kid })}.${b64(claimsOfA())}.`;
      await expect401(upper, 'alg NONE');
    });

    for (const alg of ['RS256', 'ES256'] as const) {
      it(`when an HS256 token is signed with an ${alg} key's public PEM as the secret, then 401`, async () => {
        const pair = await generateKeyPair(alg, { extractable: true });
        const pem = await exportSPKI(pair.publicKey);
        const key = await app.addKey(orgA.slug, alg, pem);
        const control = await new SignJWT(claimsOfA())
          .setProtectedHeader({ alg, kid: key.kid })
          .sign(pair.privateKey);
        assert.equal((await app.request('GET', '/api/v1/me', { token: control })).status, 200);
        await expect401(
          await signHs(claimsOfA(), new TextEncoder().encode(pem), key.kid),
          `${alg} → HS256 confusion`,
        );
        const other = await generateKeyPair(alg);
        await expect401(
          await new SignJWT(claimsOfA())
            .setProtectedHeader({ alg, kid: key.kid })
            .sign(other.privateKey),
          `${alg} signed by another private key`,
        );
      });
    }

    it('when the token is signed with a wrong key, then 401', async () => {
      await expect401(await signHs(claimsOfA(), randomBytes(32), orgA.kid), 'random secret');
      await expect401(await signHs(claimsOfA(), orgB.secret, orgA.kid), "org B's secret");
    });

    it('when the kid is unknown, then 401 and the only query is the key lookup', async () => {
      log.statements.length = 0;
      await expect401(await signHs(claimsOfA(), orgA.secret, 'no-such-kid'), 'unknown kid');
      assert.equal(log.statements.length, 1, log.statements.join('\n'));
      assert.match(log.statements[0] ?? '', /FROM embed_keys/);
    });

    it('when the kid is retired, then its correctly signed tokens get 401', async () => {
      const key = await app.addKey(orgA.slug, 'HS256');
      const secret = new Uint8Array(Buffer.from(key.secret ?? '', 'base64url'));
      assert.equal(
        (
          await app.request('GET', '/api/v1/me', {
            token: await signHs(claimsOfA(), secret, key.kid),
          })
        ).status,
        200,
      );
      await app.retireKey(key.kid);
      await expect401(await signHs(claimsOfA(), secret, key.kid), 'retired kid');
    });

    it('when the kid holds path or SQL characters, then 401, one key lookup each, and no table changes', async () => {
      const before = await fingerprint(app.db);
      const kids = [
        '../../../../etc/passwd',
        '/dev/null',
        "' OR '1'='1",
        `${orgA.kid}' OR '1'='1`,
        `${orgA.kid}' -- `,
        "x'; DROP TABLE embed_keys; --",
        `${orgA.kid}%00`,
        'k'.repeat(65),
      ];
      for (const kid of kids) {
        log.statements.length = 0;
        await expect401(await signHs(claimsOfA(), orgA.secret, kid), `kid ${kid}`);
        assert.ok(log.statements.length <= 1, `kid ${kid}: ${log.statements.join('\n')}`);
      }
      assert.equal(await fingerprint(app.db), before);
    });

    it('when exp or iat is missing, then 401', async () => {
      await expect401(await signHs(claimsOfA({ exp: undefined }), orgA.secret, orgA.kid), 'no exp');
      await expect401(await signHs(claimsOfA({ iat: undefined }), orgA.secret, orgA.kid), 'no iat');
    });

    it('when the token expired more than the 30 s skew ago, then 401', async () => {
      const now = nowSeconds();
      await expect401(
        await signHs(claimsOfA({ iat: now - 400, exp: now - 31 }), orgA.secret, orgA.kid),
        'expired',
      );
    });

    it('when iat lies beyond the skew in the future, then 401', async () => {
      const now = nowSeconds();
      await expect401(
        await signHs(claimsOfA({ iat: now + 120, exp: now + 400 }), orgA.secret, orgA.kid),
        'iat in the future',
      );
    });

    it('when the lifetime exceeds the 1 h cap, or the token is older than 1 h, then 401', async () => {
      const now = nowSeconds();
      await expect401(
        await signHs(claimsOfA({ iat: now, exp: now + 3601 + 30 }), orgA.secret, orgA.kid),
        'lifetime over the cap',
      );
      await expect401(
        await signHs(claimsOfA({ iat: now - 7200, exp: now + 60 }), orgA.secret, orgA.kid),
        'older than 1 h',
      );
    });

    it('when iss or aud is wrong, then 401', async () => {
      await expect401(
        await signHs(claimsOfA({ iss: 'https://evil.example' }), orgA.secret, orgA.kid),
        'wrong iss',
      );
      await expect401(
        await signHs(claimsOfA({ aud: 'other-app' }), orgA.secret, orgA.kid),
        'wrong aud',
      );
      await expect401(await signHs(claimsOfA({ aud: undefined }), orgA.secret, orgA.kid), 'no aud');
    });

    it('when the payload is tampered with after signing, then 401', async () => {
      const token = await signHs(claimsOfA({ scope: 'okr:read' }), orgA.secret, orgA.kid);
      const [header, , signature] = token.split('.');
      const forged = `${header}.${b64(claimsOfA({ scope: 'okr:read okr:admin', sub: 'admin' }))}.${signature}`;
      await expect401(forged, 'tampered payload');
      const [, payload] = token.split('.');
      const swappedKid = `${b64({ alg: 'HS256', kid: orgB.kid, typ: 'JWT' })}.${payload}.${signature}`;
      await expect401(swappedKid, 'header kid swapped to org B');
    });

    it("when org A's key signs a token claiming org B, then 401", async () => {
      await expect401(
        await signHs(claimsOfA({ iss: orgB.issuer }), orgA.secret, orgA.kid),
        "A's key, B's issuer",
      );
      await expect401(
        await signHs(claimsOfA({ iss: orgB.issuer }), orgA.secret, orgB.kid),
        "A's secret under B's kid",
      );
    });

    it('when the token is oversized (a signed 8 KB claim), then 401', async () => {
      const padded = claimsOfA({ pad: 'x'.repeat(8_000) });
      await expect401(await signHs(padded, orgA.secret, orgA.kid), 'oversized token');
    });
  });
}
