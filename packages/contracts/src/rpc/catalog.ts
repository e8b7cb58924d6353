/**
 * The catalog's internal RPC contract (`only/catalog/v1/catalog.proto`): `CatalogService` with
 * ReserveStock, ReleaseReservation, CommitReservation, ReturnReservation and GetProducts, their
 * messages and enums.
 * @module
 */
export * from '../gen/only/catalog/v1/catalog_pb.ts';

/** Problem codes `CatalogService` answers with (see the proto), to tell outcomes apart. */
export const CATALOG_PROBLEMS = {
  outOfStock: 'catalog.out_of_stock',
  unknownSkus: 'catalog.unknown_skus',
  productsUnavailable: 'catalog.products_unavailable',
  unknownLocation: 'catalog.unknown_location',
  invalidExpiry: 'catalog.invalid_expiry',
  reservationKeyReused: 'catalog.reservation_key_reused',
  reservationNotFound: 'catalog.reservation_not_found',
  reservationNotActive: 'catalog.reservation_not_active',
  reservationExpired: 'catalog.reservation_expired',
} as const;
