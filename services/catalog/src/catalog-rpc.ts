// The catalog's internal RPC (`only.catalog.v1.CatalogService`): stock reservations for the order
// saga and product facts for pricing. Handlers go through the same service layer as the HTTP API,
// so validation, tenant scoping, problems and events are the same on both.
import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import { toMoney } from '@only/contracts/rpc';
import type { MessageInitShape } from '@bufbuild/protobuf';
import {
  CatalogService,
  ProductStatus,
  ReservationStatus,
  type ProductSchema,
  type ReservationSchema,
} from '@only/contracts/rpc/catalog';
import { defineRpcService, type RpcService } from '@only/platform/rpc';
import type { ProductAvailability } from './modules/products/products.dto.ts';
import type { ProductsService } from './modules/products/products.service.ts';
import type { Reservation } from './modules/reservations/reservations.dto.ts';
import type { ReservationsService } from './modules/reservations/reservations.service.ts';
import type { ReservationStatus as ReservationStatusName } from './modules/reservations/reservations.table.ts';

const RESERVATION_STATUSES: Readonly<Record<ReservationStatusName, ReservationStatus>> = {
  active: ReservationStatus.ACTIVE,
  committed: ReservationStatus.COMMITTED,
  released: ReservationStatus.RELEASED,
  expired: ReservationStatus.EXPIRED,
  returned: ReservationStatus.RETURNED,
};

const PRODUCT_STATUSES: Readonly<Record<ProductAvailability['status'], ProductStatus>> = {
  draft: ProductStatus.DRAFT,
  active: ProductStatus.ACTIVE,
  archived: ProductStatus.ARCHIVED,
};

const timestamp = (iso: string) => timestampFromDate(new Date(iso));

function toReservationMessage(reservation: Reservation): MessageInitShape<typeof ReservationSchema> {
  return {
    id: reservation.id,
    reservationKey: reservation.reservationKey,
    status: RESERVATION_STATUSES[reservation.status],
    lines: reservation.lines.map((line) => ({
      sku: line.sku,
      productId: line.productId,
      locationId: line.locationId,
      quantity: line.quantity,
    })),
    expiresAt: timestamp(reservation.expiresAt),
    createdAt: timestamp(reservation.createdAt),
    ...(reservation.closedAt === null ? {} : { closedAt: timestamp(reservation.closedAt) }),
  };
}

function toProductMessage(product: ProductAvailability): MessageInitShape<typeof ProductSchema> {
  return {
    id: product.id,
    sku: product.sku,
    name: product.name,
    price: toMoney(product.price.amount, product.price.currency),
    taxClass: product.taxClass,
    status: PRODUCT_STATUSES[product.status],
    available: product.available,
    updatedAt: timestamp(product.updatedAt),
  };
}

/** An empty reason on the wire means none was given. */
const reasonOf = (reason: string) => (reason === '' ? {} : { reason });

/**
 * `CatalogService` served from the catalog module: the reservation methods need `stock:reserve`,
 * GetProducts `products:read`.
 */
export function catalogRpc(deps: {
  reservations: ReservationsService;
  products: ProductsService;
}): RpcService {
  const { reservations, products } = deps;
  return defineRpcService(CatalogService, {
    reserveStock: {
      permission: 'stock:reserve',
      handle: async (request, call) => {
        const { reservation } = await reservations.reserveStock(call.ctx, {
          reservationKey: request.reservationKey,
          lines: request.lines.map((line) => ({ sku: line.sku, quantity: line.quantity })),
          ...(request.locationId === undefined ? {} : { locationId: request.locationId }),
          ...(request.expiresAt === undefined ? {} : { expiresAt: timestampDate(request.expiresAt) }),
        });
        return { reservation: toReservationMessage(reservation) };
      },
    },
    releaseReservation: {
      permission: 'stock:reserve',
      handle: async (request, call) => ({
        reservation: toReservationMessage(
          await reservations.releaseReservation(call.ctx, request.reservationKey, reasonOf(request.reason)),
        ),
      }),
    },
    commitReservation: {
      permission: 'stock:reserve',
      handle: async (request, call) => ({
        reservation: toReservationMessage(
          await reservations.commitReservation(call.ctx, request.reservationKey),
        ),
      }),
    },
    returnReservation: {
      permission: 'stock:reserve',
      handle: async (request, call) => ({
        reservation: toReservationMessage(
          await reservations.returnReservation(call.ctx, request.reservationKey, reasonOf(request.reason)),
        ),
      }),
    },
    getProducts: {
      permission: 'products:read',
      handle: async (request, call) => {
        const found = await products.getProducts(call.ctx, {
          skus: request.skus,
          ids: request.productIds,
          ...(request.locationId === undefined ? {} : { locationId: request.locationId }),
        });
        return { products: found.items.map(toProductMessage), missing: found.missing };
      },
    },
  });
}
