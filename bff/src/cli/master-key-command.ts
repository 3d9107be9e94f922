import { randomBytes } from 'node:crypto';
import { badValue, parse, print, type Command } from './args.js';
import { withSession } from './session.js';
import { AppError } from '../lib/errors.js';

/**
 * `rotate-master-key`: the new key comes from OKR_NEW_MASTER_KEY (never argv, which other users
 * of the machine can read), or is generated with --generate and printed once.
 */
export const rotateMasterKey: Command = async (args, context) => {
  const { values } = parse(args, { generate: { type: 'boolean' } });
  const given = process.env.OKR_NEW_MASTER_KEY;
  if ((given === undefined) === (values.generate !== true)) {
    throw badValue(
      'usage',
      'Give the new key in OKR_NEW_MASTER_KEY, or --generate to make one (not both)',
    );
  }
  const { parseMasterKey } = await import('../lib/config.js');
  const next = given === undefined ? randomBytes(32) : parseMasterKey('OKR_NEW_MASTER_KEY', given);
  const { rotateMasterKey: rotate } = await import('../lib/master-key.js');
  const result = await withSession(context, 'write', ({ db, orgsRepository, config }) => {
    if (!config.masterKey) {
      throw new AppError(
        'master_key_missing',
        'OKR_MASTER_KEY (the current key) is not set: it is needed to decrypt the secrets',
        400,
      );
    }
    if (next.equals(config.masterKey)) {
      throw badValue('usage', 'The new master key is the current one');
    }
    return rotate(db, orgsRepository, config.masterKey, next);
  });
  const printed = given === undefined ? { newMasterKey: next.toString('base64') } : {};
  print(
    values,
    { ...result, ...printed },
    [
      `Re-encrypted ${result.reencrypted.length} HS256 secrets under the new master key.`,
      ...(given === undefined
        ? [
            `OKR_MASTER_KEY=${next.toString('base64')}`,
            '(Shown once. Store it where the BFF reads its environment.)',
          ]
        : []),
      'Restart every BFF with the new OKR_MASTER_KEY: the old one no longer matches this database.',
    ].join('\n'),
  );
};
