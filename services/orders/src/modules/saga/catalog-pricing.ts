import { moneyOf } from '@only/contracts/rpc';
import { ProductStatus, type CatalogService } from '@only/contracts/rpc/catalog';
import type { CallContext, RpcClient } from '@only/platform/rpc';
import { ordersErrors } from '../../errors.ts';
import type { PlaceOrderInput, OrderInput, PricedLine } from '../orders/orders.dto.ts';

/** Tax rates in basis points by the catalog's tax class codes (`standard`, `reduced`, `zero`). */
export type TaxRates = Readonly<Record<string, number>>;

/** The rates a deployment starts with; `ORDERS_TAX_RATES` replaces them. */
export const DEFAULT_TAX_RATES: TaxRates = { standard: 1900, reduced: 700, zero: 0 };

/** `standard=1900,reduced=700` → `{ standard: 1900, reduced: 700 }`; throws on a malformed entry. */
export function parseTaxRates(text: string): TaxRates {
  const rates: Record<string, number> = {};
  for (const entry of text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const match = /^([a-z][a-z0-9_-]{0,49})=(\d{1,5})$/.exec(entry);
    const rate = Number(match?.[2]);
    if (match?.[1] === undefined || rate > 10_000) throw new Error(`Not a tax rate: "${entry}"`);
    rates[match[1]] = rate;
  }
  return rates;
}

/**
 * Prices the lines of a paid order from the catalog — name and unit price of the product, tax
 * rate of its tax class — so that what the customer is charged never comes from the client.
 * Unknown SKUs, products not for sale, prices in another currency and tax classes without a rate
 * are 422s naming the SKUs; nothing is reserved or charged before this succeeds.
 */
export async function priceFromCatalog(
  catalog: RpcClient<typeof CatalogService>,
  ctx: CallContext,
  input: PlaceOrderInput,
  taxRates: TaxRates,
): Promise<OrderInput> {
  const skus = [...new Set(input.lines.map((line) => line.sku))];
  const found = await catalog.getProducts(ctx, { skus });
  if (found.missing.length > 0) {
    throw ordersErrors.unknown_products(`No product with SKU ${found.missing.join(', ')}`, {
      field: 'lines',
      skus: found.missing,
    });
  }
  const bySku = new Map(found.products.map((product) => [product.sku, product]));
  const unsellable = found.products.filter((p) => p.status !== ProductStatus.ACTIVE).map((p) => p.sku);
  if (unsellable.length > 0) {
    throw ordersErrors.products_unavailable(`Not for sale: ${unsellable.join(', ')}`, {
      field: 'lines',
      skus: unsellable,
    });
  }
  const otherCurrency = found.products.filter((p) => moneyOf(p.price).currency !== input.currency);
  if (otherCurrency.length > 0) {
    throw ordersErrors.price_currency_mismatch(
      `${otherCurrency.map((p) => p.sku).join(', ')} are not priced in ${input.currency}`,
      {
        field: 'currency',
        skus: otherCurrency.map((p) => p.sku),
        currency: moneyOf(otherCurrency[0]?.price).currency,
      },
    );
  }
  const noRate = [...new Set(found.products.map((p) => p.taxClass))].filter(
    (taxClass) => taxRates[taxClass] === undefined,
  );
  if (noRate.length > 0) {
    throw ordersErrors.unknown_tax_class(`No tax rate for tax class ${noRate.join(', ')}`, {
      field: 'lines',
      taxClasses: noRate,
    });
  }
  const lines = input.lines.map((line): PricedLine => {
    const product = bySku.get(line.sku);
    if (product === undefined) throw new Error(`${line.sku} was looked up above`);
    return {
      sku: line.sku,
      name: product.name,
      quantity: line.quantity,
      unitPrice: moneyOf(product.price).amount,
      taxRateBps: taxRates[product.taxClass] ?? 0,
    };
  });
  return { customerId: input.customerId, currency: input.currency, lines, notes: input.notes ?? null };
}
