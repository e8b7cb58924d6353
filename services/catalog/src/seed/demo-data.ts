import { DEMO_TENANT_ID, type RequestContext } from '@only/platform/context';
import type { Id } from '@only/platform/ids';
import type { CategoriesService } from '../modules/categories/categories.service.ts';
import type { LocationsService } from '../modules/locations/locations.service.ts';
import type { ProductsService } from '../modules/products/products.service.ts';
import type { StockService } from '../modules/stock/stock.service.ts';

interface DemoProduct {
  readonly sku: string;
  readonly name: string;
  readonly description: string;
  readonly price: number;
  readonly taxClass: 'standard' | 'reduced';
  readonly category: string;
  readonly attributes: Readonly<Record<string, string | number>>;
  /** Received into the warehouse; part of it moves to the shop. */
  readonly stock: number;
  readonly reorderPoint: number;
}

interface DemoCatalog {
  readonly currency: string;
  readonly categories: readonly { name: string; parent?: string }[];
  readonly products: readonly DemoProduct[];
}

/** The coffee roaster's range: the SKUs of the demo orders, so orders and stock tell one story. */
const COFFEE: DemoCatalog = {
  currency: 'EUR',
  categories: [{ name: 'Coffee' }, { name: 'Beans', parent: 'Coffee' }, { name: 'Equipment' }],
  products: [
    {
      sku: 'COF-ESP-250',
      name: 'Espresso beans 250 g',
      description: 'Dark roast, notes of cocoa and hazelnut.',
      price: 1290,
      taxClass: 'reduced',
      category: 'Beans',
      attributes: { roast: 'dark', weightGrams: 250 },
      stock: 120,
      reorderPoint: 20,
    },
    {
      sku: 'COF-FIL-1000',
      name: 'Filter coffee 1 kg',
      description: 'Light roast for filter and pour-over.',
      price: 3490,
      taxClass: 'reduced',
      category: 'Beans',
      attributes: { roast: 'light', weightGrams: 1000 },
      stock: 40,
      reorderPoint: 10,
    },
    {
      sku: 'MUG-CER-350',
      name: 'Ceramic mug 350 ml',
      description: 'Stoneware mug, dishwasher safe.',
      price: 1490,
      taxClass: 'standard',
      category: 'Equipment',
      attributes: { color: 'sand', volumeMl: 350 },
      stock: 60,
      reorderPoint: 12,
    },
    {
      sku: 'GRD-HND-01',
      name: 'Hand grinder',
      description: 'Conical steel burrs, 40 grind settings.',
      price: 5900,
      taxClass: 'standard',
      category: 'Equipment',
      attributes: { burr: 'conical steel' },
      stock: 15,
      reorderPoint: 5,
    },
    {
      sku: 'FLT-PAP-100',
      name: 'Paper filters (100)',
      description: 'Unbleached paper filters, size 02.',
      price: 450,
      taxClass: 'standard',
      category: 'Equipment',
      attributes: { size: '02' },
      stock: 200,
      reorderPoint: 40,
    },
    {
      sku: 'KTL-GOO-1L',
      name: 'Gooseneck kettle 1 l',
      description: 'Stovetop kettle with a precise pour.',
      price: 7990,
      taxClass: 'standard',
      category: 'Equipment',
      attributes: { volumeMl: 1000 },
      stock: 8,
      reorderPoint: 6,
    },
  ],
};

/** The outfitter's range. */
const OUTFITTERS: DemoCatalog = {
  currency: 'USD',
  categories: [
    { name: 'Clothing' },
    { name: 'Shirts', parent: 'Clothing' },
    { name: 'Outerwear', parent: 'Clothing' },
    { name: 'Gear' },
  ],
  products: [
    {
      sku: 'TSH-COT-M',
      name: 'Cotton T-shirt',
      description: 'Organic cotton crew neck, size M.',
      price: 1900,
      taxClass: 'standard',
      category: 'Shirts',
      attributes: { color: 'navy', size: 'M' },
      stock: 80,
      reorderPoint: 15,
    },
    {
      sku: 'SHT-FLN-L',
      name: 'Flannel shirt',
      description: 'Brushed flannel, size L.',
      price: 4900,
      taxClass: 'standard',
      category: 'Shirts',
      attributes: { color: 'red check', size: 'L' },
      stock: 35,
      reorderPoint: 8,
    },
    {
      sku: 'JKT-RAIN-L',
      name: 'Rain jacket',
      description: 'Waterproof, breathable shell with a hood.',
      price: 12900,
      taxClass: 'standard',
      category: 'Outerwear',
      attributes: { color: 'olive', size: 'L' },
      stock: 20,
      reorderPoint: 5,
    },
    {
      sku: 'BOT-HIK-42',
      name: 'Hiking boots',
      description: 'Leather boots with a rubber lug sole, EU 42.',
      price: 15900,
      taxClass: 'standard',
      category: 'Gear',
      attributes: { size: 42 },
      stock: 12,
      reorderPoint: 4,
    },
    {
      sku: 'SCK-WOL-3',
      name: 'Wool socks (3 pairs)',
      description: 'Merino blend hiking socks.',
      price: 2400,
      taxClass: 'standard',
      category: 'Gear',
      attributes: { material: 'merino' },
      stock: 150,
      reorderPoint: 30,
    },
    {
      sku: 'BAG-DAY-20',
      name: 'Daypack 20 l',
      description: 'Light backpack with a laptop sleeve.',
      price: 6900,
      taxClass: 'standard',
      category: 'Gear',
      attributes: { volumeLiters: 20 },
      stock: 6,
      reorderPoint: 5,
    },
  ],
};

/**
 * Demo catalog for a tenant, created through the services so that events and the stock audit
 * trail are real: two locations, categories, products with stock in the warehouse and some in
 * the shop, reorder points. A tenant that already has products is left alone.
 */
export async function seedDemoData(
  ctx: RequestContext,
  services: {
    products: ProductsService;
    categories: CategoriesService;
    locations: LocationsService;
    stock: StockService;
  },
): Promise<void> {
  const existing = await services.products.list(ctx, { limit: 1, status: ['draft', 'active', 'archived'] });
  if (existing.items.length > 0) return;
  const catalog = ctx.tenantId === DEMO_TENANT_ID ? COFFEE : OUTFITTERS;

  const warehouse = (
    await services.locations.create(ctx, { code: 'WH', name: 'Warehouse', isDefault: true, active: true })
  ).id as Id<'loc'>;
  const shop = (await services.locations.create(ctx, { code: 'SHOP', name: 'Shop floor', active: true }))
    .id as Id<'loc'>;
  const categoryIds = new Map<string, Id<'cat'>>();
  for (const category of catalog.categories) {
    const parentId = category.parent === undefined ? null : (categoryIds.get(category.parent) ?? null);
    const created = await services.categories.create(ctx, { name: category.name, parentId });
    categoryIds.set(category.name, created.id as Id<'cat'>);
  }
  for (const item of catalog.products) {
    const categoryId = categoryIds.get(item.category);
    const created = await services.products.create(ctx, {
      sku: item.sku,
      name: item.name,
      description: item.description,
      price: { amount: item.price, currency: catalog.currency },
      taxClass: item.taxClass,
      attributes: item.attributes,
      imageUrls: [],
      status: 'active',
      categoryIds: categoryId === undefined ? [] : [categoryId],
    });
    const productId = created.id as Id<'prd'>;
    await services.stock.setReorderPoint(ctx, {
      productId,
      locationId: warehouse,
      reorderPoint: item.reorderPoint,
    });
    await services.stock.adjust(ctx, {
      productId,
      locationId: warehouse,
      reason: 'received',
      delta: item.stock,
      note: 'Opening stock',
    });
    const toShop = Math.floor(item.stock / 4);
    if (toShop > 0) {
      await services.stock.transfer(ctx, {
        productId,
        fromLocationId: warehouse,
        toLocationId: shop,
        quantity: toShop,
        note: 'Shelves stocked',
      });
    }
  }
}
