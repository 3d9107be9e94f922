import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SignJWT, exportSPKI, generateKeyPair } from 'jose';
import { dialects, startTestApp, type TestApp, type TestOrg } from '../support/harness.js';

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

for (const dialect of dialects()) {
  describe(`[${dialect.name}] JWT verification`, () => {
    let app: TestApp;
    let org: TestOrg;

    before(async () => {
      app = await startTestApp(dialect);
      org = await app.createOrg();
    });
    after(() => app.close());

    const me = (token?: string) => app.request('GET', '/api/v1/me', { token });

    async function expectRejected(token: string | undefined, why: string) {
      const answer = await me(token);
      assert.equal(answer.status, 401, `${why}: ${answer.text}`);
      assert.match(answer.headers.get('www-authenticate') ?? '', /^Bearer/);
      assert.ok(
        answer.body.error.code === 'invalid_token' || answer.body.error.code === 'missing_token',
      );
      assert.ok(answer.body.error.requestId);
    }

    it('when a valid token arrives, then the user is created from its claims with teams and scopes', async () => {
      const token = await org.token({
        sub: 'jit-1',
        name: 'Jit One',
        email: 'jit@x.example',
        teams: ['alpha', 'beta'],
        picture: 'https://cdn.example/jit.png',
        scope: 'okr:read okr:bogus',
      });
      const answer = await me(token);
      assert.equal(answer.status, 200, answer.text);
      assert.equal(answer.body.user.externalId, 'jit-1');
      assert.equal(answer.body.user.email, 'jit@x.example');
      assert.equal(answer.body.user.avatarUrl, 'https://cdn.example/jit.png');
      assert.deepEqual(
        answer.body.teams.map((t: { key: string }) => t.key),
        ['alpha', 'beta'],
      );
      assert.deepEqual(answer.body.scopes, ['okr:read']);
      assert.equal(answer.body.org.slug, org.slug);
    });

    it('when the picture claim is not an http(s) URL, then it is ignored and the user still gets in', async () => {
      const answer = await me(await org.token({ sub: 'jit-3', picture: 'javascript:alert(1)' }));
      assert.equal(answer.status, 200);
      assert.equal(answer.body.user.avatarUrl, null);
    });

    it('when the same user comes back with a new name and other teams, then the user and memberships follow the claims', async () => {
      await me(await org.token({ sub: 'jit-2', name: 'Before', teams: ['alpha'] }));
      const answer = await me(await org.token({ sub: 'jit-2', name: 'After', teams: ['gamma'] }));
      assert.equal(answer.body.user.name, 'After');
      assert.deepEqual(
        answer.body.teams.map((t: { key: string }) => t.key),
        ['gamma'],
      );
    });

    it('when there is no Authorization header, then 401 with WWW-Authenticate', async () => {
      await expectRejected(undefined, 'no header');
    });

    it('when the token is not a JWT, then 401', async () => {
      await expectRejected('not-a-jwt', 'garbage');
    });

    it('when the kid is unknown, then 401', async () => {
      await expectRejected(await org.token({}, { kid: 'nobody-knows' }), 'unknown kid');
    });

    it('when the kid is missing, then 401', async () => {
      const now = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({ sub: 'x', scope: 'okr:read' })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(org.issuer)
        .setAudience('okr-embed')
        .setIssuedAt(now)
        .setExpirationTime(now + 60)
        .sign(org.secret);
      await expectRejected(token, 'no kid');
    });

    it('when the key is retired, then its tokens are refused while the other active key still works', async () => {
      const second = await app.addKey(org.slug, 'HS256');
      const secret = new Uint8Array(Buffer.from(second.secret ?? '', 'base64url'));
      const now = Math.floor(Date.now() / 1000);
      const sign = () =>
        new SignJWT({ sub: 'rot', scope: 'okr:read' })
          .setProtectedHeader({ alg: 'HS256', kid: second.kid })
          .setIssuer(org.issuer)
          .setAudience('okr-embed')
          .setIssuedAt(now)
          .setExpirationTime(now + 60)
          .sign(secret);
      assert.equal((await me(await sign())).status, 200);
      await app.retireKey(second.kid);
      await expectRejected(await sign(), 'retired kid');
      assert.equal((await me(await org.token())).status, 200);
    });

    it('when another process retires the key of a token already verified, then the token stops working within 5 s', async () => {
      const second = await app.addKey(org.slug, 'HS256');
      const now = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({ sub: 'rot-elsewhere', scope: 'okr:read' })
        .setProtectedHeader({ alg: 'HS256', kid: second.kid })
        .setIssuer(org.issuer)
        .setAudience('okr-embed')
        .setIssuedAt(now)
        .setExpirationTime(now + 60)
        .sign(new Uint8Array(Buffer.from(second.secret ?? '', 'base64url')));
      assert.equal((await me(token)).status, 200);
      assert.equal((await me(token)).status, 200, 'the second use comes from the token cache');
      // Behind the app's back, as the CLI or a second instance would: no cache is told.
      const retiredAt = Date.now();
      await app.db.execute(`UPDATE embed_keys SET status = 'retired' WHERE kid = :kid`, {
        kid: second.kid,
      });
      let status = 200;
      while (status === 200 && Date.now() - retiredAt < 7_000) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        status = (await me(token)).status;
      }
      assert.equal(status, 401);
      assert.ok(Date.now() - retiredAt <= 5_500, `refused after ${Date.now() - retiredAt} ms`);
    });

    it('when a token already verified reaches its exp plus the skew, then it is refused', async () => {
      // exp is 28 s ago: inside the 30 s skew for about 2 s more.
      const token = await org.token({ sub: 'short-lived' }, { iatOffset: -328, ttl: 300 });
      assert.equal((await me(token)).status, 200);
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      await expectRejected(token, 'expired while cached');
    });

    it('when alg is none, then 401', async () => {
      const now = Math.floor(Date.now() / 1000);
      const token = `${b64({ alg: 'none', kid: org.kid, typ: 'JWT' })}.${b64({ sub: 'x', iss: org.issuer, aud: 'okr-embed', iat: now, exp: now + 60, scope: 'okr:admin' })}.`;
      await expectRejected(token, 'alg none');
    });

    it('when the signature is wrong, then 401', async () => {
      const token = await org.token();
      await expectRejected(`${token.slice(0, -4)}AAAA`, 'tampered signature');
    });

    it('when the token is signed with another secret, then 401', async () => {
      const now = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({ sub: 'x' })
        .setProtectedHeader({ alg: 'HS256', kid: org.kid })
        .setIssuer(org.issuer)
        .setAudience('okr-embed')
        .setIssuedAt(now)
        .setExpirationTime(now + 60)
        .sign(new Uint8Array(32));
      await expectRejected(token, 'other secret');
    });

    it('when the token expired beyond the 30 s skew, then 401; within the skew it passes', async () => {
      await expectRejected(await org.token({}, { iatOffset: -400, ttl: 300 }), 'expired 100 s ago');
      assert.equal((await me(await org.token({}, { iatOffset: -310, ttl: 300 }))).status, 200);
    });

    it('when exp or iat is missing, then 401', async () => {
      const now = Math.floor(Date.now() / 1000);
      const base = () =>
        new SignJWT({ sub: 'x' })
          .setProtectedHeader({ alg: 'HS256', kid: org.kid })
          .setIssuer(org.issuer)
          .setAudience('okr-embed');
      await expectRejected(await base().setIssuedAt(now).sign(org.secret), 'no exp');
      await expectRejected(
        await base()
          .setExpirationTime(now + 60)
          .sign(org.secret),
        'no iat',
      );
    });

    it('when the token lives longer than 1 h or is older than 1 h, then 401', async () => {
      await expectRejected(await org.token({}, { ttl: 7200 }), 'ttl 2 h');
      await expectRejected(
        await org.token({}, { iatOffset: -3700, ttl: 3600 }),
        'issued 62 min ago',
      );
    });

    it('when iat lies in the future beyond the skew, then 401', async () => {
      await expectRejected(await org.token({}, { iatOffset: 120 }), 'iat in 2 min');
    });

    it('when iss or aud is wrong, then 401', async () => {
      await expectRejected(await org.token({ iss: 'https://evil.example' }), 'wrong iss');
      await expectRejected(await org.token({ aud: 'someone-else' }), 'wrong aud');
    });

    it('when sub is missing, then 401', async () => {
      await expectRejected(await org.token({ sub: undefined }), 'no sub');
    });

    it("when another org's key signs a token carrying this org's issuer, then 401", async () => {
      const other = await app.createOrg();
      await expectRejected(await other.token({ iss: org.issuer }), 'issuer of another org');
    });

    it('when an org uses ES256 or RS256 public keys, then tokens signed with the private key pass', async () => {
      for (const alg of ['ES256', 'RS256'] as const) {
        const pair = await generateKeyPair(alg, { extractable: true });
        const key = await app.addKey(org.slug, alg, await exportSPKI(pair.publicKey));
        const now = Math.floor(Date.now() / 1000);
        const token = await new SignJWT({ sub: `asym-${alg}`, scope: 'okr:read' })
          .setProtectedHeader({ alg, kid: key.kid, typ: 'JWT' })
          .setIssuer(org.issuer)
          .setAudience('okr-embed')
          .setIssuedAt(now)
          .setExpirationTime(now + 60)
          .sign(pair.privateKey);
        const answer = await me(token);
        assert.equal(answer.status, 200, `${alg}: ${answer.text}`);
      }
    });

    it("when an HS256 token is signed with an RS256 key's public PEM (alg confusion), then 401", async () => {
      const pair = await generateKeyPair('RS256', { extractable: true });
      const pem = await exportSPKI(pair.publicKey);
      const key = await app.addKey(org.slug, 'RS256', pem);
      const now = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({ sub: 'confused', scope: 'okr:admin' })
        .setProtectedHeader({ alg: 'HS256', kid: key.kid })
        .setIssuer(org.issuer)
        .setAudience('okr-embed')
        .setIssuedAt(now)
        .setExpirationTime(now + 60)
        .sign(new TextEncoder().encode(pem));
      await expectRejected(token, 'HS/RS confusion');
    });

    it('when a token lacks okr:read, then a GET answers 403', async () => {
      const answer = await me(await org.token({ scope: 'okr:checkin' }));
      assert.equal(answer.status, 403);
      assert.equal(answer.body.error.code, 'insufficient_scope');
    });
  });
}
