/** Config checks that name the field and the allowed range; every preset validates through these. */

export class ConfigError extends RangeError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function checkInt(field: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new ConfigError(field, `${field} must be an integer in [${min}, ${max}], got ${String(v)}`);
  }
  return v;
}

export function checkNumber(field: string, v: unknown, min: number, max: number, o: { minExclusive?: boolean } = {}): number {
  const low = o.minExclusive ? (v as number) <= min : (v as number) < min;
  if (typeof v !== 'number' || !Number.isFinite(v) || low || v > max) {
    throw new ConfigError(field, `${field} must be a number in ${o.minExclusive ? '(' : '['}${min}, ${max}], got ${String(v)}`);
  }
  return v;
}

export function checkChoice<T extends string>(field: string, v: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(v as T)) throw new ConfigError(field, `${field} must be one of ${allowed.join(', ')}, got ${String(v)}`);
  return v as T;
}
