/**
 * An amount for a person: two decimals from 1 up, two significant digits below so a run of a few cents or a
 * fraction of one still reads as what it is (0.0042 USD, not 0.00 USD); exactly 0 is "0 USD".
 */
export function formatMoney(amount: number, currency: string): string {
  if (amount === 0) return `0 ${currency}`;
  const digits = amount >= 1 ? 2 : Math.min(6, Math.max(2, 1 - Math.floor(Math.log10(amount))));
  return `${amount.toFixed(digits)} ${currency}`;
}
