/** A request that exceeds one of the adapter's limits; names the limit, its value and what was asked. */
export class GpuLimitError extends RangeError {
  constructor(
    readonly limit: string,
    readonly allowed: number,
    readonly requested: number,
    what: string,
  ) {
    super(`${what} needs ${requested} but the adapter's ${limit} is ${allowed}`);
    this.name = 'GpuLimitError';
  }
}

/** The device was lost (driver reset, destroy, out of memory); the context can no longer be used. */
export class GpuDeviceLostError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(`GPU device lost (${reason}): ${message}`);
    this.name = 'GpuDeviceLostError';
  }
}

/** A validation or out-of-memory error reported by the device, tagged with the kernel or allocation. */
export class GpuKernelError extends Error {
  constructor(
    readonly scope: string,
    readonly kind: 'validation' | 'out-of-memory' | 'internal',
    message: string,
  ) {
    super(`${scope}: ${kind} error: ${message}`);
    this.name = 'GpuKernelError';
  }
}
