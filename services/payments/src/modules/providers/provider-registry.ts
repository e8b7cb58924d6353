import { paymentsErrors } from '../../errors.ts';
import type { PaymentProvider } from './payment-provider.ts';

/** The payment provider adapters of a service, by name; one is the default for new payments. */
export class ProviderRegistry {
  private readonly providers = new Map<string, PaymentProvider>();
  readonly defaultName: string;

  constructor(providers: readonly PaymentProvider[], defaultName: string) {
    for (const provider of providers) this.providers.set(provider.name, provider);
    if (!this.providers.has(defaultName))
      throw new Error(`The default payment provider "${defaultName}" is not registered`);
    this.defaultName = defaultName;
  }

  /** Every registered name. */
  names(): string[] {
    return [...this.providers.keys()].sort();
  }

  /** The adapter of `name` (the default when absent); `payments.unknown_provider` otherwise. */
  resolve(name?: string): PaymentProvider {
    const provider = this.providers.get(name ?? this.defaultName);
    if (provider === undefined)
      throw paymentsErrors.unknown_provider(`No payment provider "${name ?? ''}"`, {
        field: 'provider',
        providers: this.names(),
      });
    return provider;
  }

  /** The adapter a stored payment was made with; it must still be registered. */
  of(name: string): PaymentProvider {
    const provider = this.providers.get(name);
    if (provider === undefined) throw new Error(`Payment provider "${name}" is no longer registered`);
    return provider;
  }
}
