// A provider adapter for tests that need failures the test cards do not give: calls that never
// answer (and ignore their abort signal), or that wait until the test lets them go. Everything
// else is delegated to a TestPaymentProvider of its own, whose calls and ledger tests can read.
import type {
  AuthorizeOutcome,
  OperationOutcome,
  PaymentProvider,
  ProviderAuthorizeRequest,
  ProviderCallOptions,
} from '../../src/modules/providers/payment-provider.ts';
import { TestPaymentProvider } from '../../src/modules/providers/test-provider.ts';

type Operation = 'authorize' | 'capture' | 'void' | 'refund';

/** A call held until the test releases it. */
export interface Gate {
  /** Resolves when the held call has reached the provider. */
  readonly reached: Promise<void>;
  release(): void;
}

export class ScriptedProvider implements PaymentProvider {
  readonly name = 'scripted';
  readonly inner = new TestPaymentProvider();
  private readonly hangs = new Map<Operation, number>();
  private readonly gates = new Map<Operation, { reached: () => void; released: Promise<void> }[]>();

  /** The next `count` calls of `operation` never answer, whatever their signal says. */
  hangNext(operation: Operation, count = 1): void {
    this.hangs.set(operation, (this.hangs.get(operation) ?? 0) + count);
  }

  /** The next call of `operation` waits until `release` (then answers normally). */
  gateNext(operation: Operation): Gate {
    let reached!: () => void;
    let release!: () => void;
    const reachedPromise = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.gates.set(operation, [...(this.gates.get(operation) ?? []), { reached, released }]);
    return { reached: reachedPromise, release };
  }

  private async script(operation: Operation): Promise<void> {
    const hangs = this.hangs.get(operation) ?? 0;
    if (hangs > 0) {
      this.hangs.set(operation, hangs - 1);
      await new Promise<never>(() => undefined);
    }
    const gate = this.gates.get(operation)?.shift();
    if (gate !== undefined) {
      gate.reached();
      await gate.released;
    }
  }

  async authorize(
    request: ProviderAuthorizeRequest,
    options: ProviderCallOptions,
  ): Promise<AuthorizeOutcome> {
    await this.script('authorize');
    return this.inner.authorize(request, options);
  }

  completeAuthentication(
    request: Parameters<PaymentProvider['completeAuthentication']>[0],
    options: ProviderCallOptions,
  ): Promise<AuthorizeOutcome> {
    return this.inner.completeAuthentication(request, options);
  }

  async capture(
    request: Parameters<PaymentProvider['capture']>[0],
    options: ProviderCallOptions,
  ): Promise<OperationOutcome> {
    await this.script('capture');
    return this.inner.capture(request, options);
  }

  async void(
    request: Parameters<PaymentProvider['void']>[0],
    options: ProviderCallOptions,
  ): Promise<OperationOutcome> {
    await this.script('void');
    return this.inner.void(request, options);
  }

  async refund(
    request: Parameters<PaymentProvider['refund']>[0],
    options: ProviderCallOptions,
  ): Promise<OperationOutcome> {
    await this.script('refund');
    return this.inner.refund(request, options);
  }
}
