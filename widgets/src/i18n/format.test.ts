import { expect } from '@open-wc/testing';
import { formatAmount, formatKeyResultValue, formatRelativeTime } from './format.js';
import { de, en } from './messages.js';

describe('formatting through Intl', () => {
  it('formats money only for real currency codes', () => {
    expect(formatAmount(42000, 'EUR', 'en')).to.equal('€42,000');
    expect(formatAmount(1234.5, 'USD', 'de')).to.equal('1.234,50\u00a0$');
    expect(formatAmount(45, 'NPS', 'en')).to.equal('45 NPS');
    expect(formatAmount(-3.25, 'users', 'de')).to.equal('-3,25 users');
    expect(formatAmount(12.5, '%', 'de')).to.equal('12,5\u00a0%');
    expect(formatAmount(7, null, 'en')).to.equal('7');
  });

  it('words key-result values by kind, in both languages', () => {
    const base = { current: 1, target: 1, unit: null };
    expect(formatKeyResultValue({ ...base, kind: 'boolean' }, 'en', en)).to.equal('Done');
    expect(formatKeyResultValue({ ...base, kind: 'boolean', current: 0 }, 'de', de)).to.equal(
      'Offen',
    );
    expect(
      formatKeyResultValue({ kind: 'stay_below', current: 2, target: 3, unit: 'h' }, 'de', de),
    ).to.equal('2 h, höchstens 3 h');
    const churn = { kind: 'decrease', current: 9, target: 4, unit: 'customers' } as const;
    expect(formatKeyResultValue(churn, 'en', en)).to.equal('9 customers, target 4 customers');
    expect(formatKeyResultValue(churn, 'de', de)).to.equal('9 customers, Ziel 4 customers');
    expect(
      formatKeyResultValue({ kind: 'decrease', current: 11, target: 5, unit: 'min' }, 'en', {
        ...en,
        valueDecrease: '{current}, down to {target}',
      }),
    ).to.equal('11 min, down to 5 min');
    expect(
      formatKeyResultValue({ kind: 'initiative', current: 0.255, target: 1, unit: null }, 'en', en),
    ).to.equal('26%');
  });

  it('says how long ago in the largest whole unit', () => {
    const now = Date.parse('2027-02-10T12:00:00Z');
    expect(formatRelativeTime('2027-02-10T11:58:00Z', 'en', now)).to.equal('2 minutes ago');
    expect(formatRelativeTime('2027-02-09T12:00:00Z', 'de', now)).to.equal('gestern');
    expect(formatRelativeTime('2027-01-20T12:00:00Z', 'de', now)).to.equal('vor 3 Wochen');
  });
});
