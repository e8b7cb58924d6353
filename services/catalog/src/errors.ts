import { defineErrors } from '@only/platform/errors';

/** Errors of the catalog service: `catalog.<name>`, documented at `/problems/catalog.<name>`. */
export const catalogErrors = defineErrors('catalog', {
  product_not_found: { status: 404, title: 'Product not found' },
  category_not_found: { status: 404, title: 'Category not found' },
  location_not_found: { status: 404, title: 'Location not found' },
  reservation_not_found: {
    status: 404,
    title: 'Reservation not found',
    description: 'No reservation with this key in the tenant.',
  },
  sku_taken: {
    status: 409,
    title: 'Another product already has this SKU',
    description: 'SKUs are unique within a tenant (another tenant may use the same SKU).',
  },
  category_name_taken: {
    status: 409,
    title: 'A sibling category already has this name',
    description: 'Names are unique (ignoring case) among the categories under the same parent.',
  },
  category_has_children: {
    status: 409,
    title: 'The category has subcategories',
    description: 'Delete or move its subcategories first.',
  },
  location_code_taken: { status: 409, title: 'Another location already has this code' },
  default_location_required: {
    status: 409,
    title: 'The default location cannot be unset or deactivated',
    description: 'Make another location the default first; reservations without a location draw from it.',
  },
  out_of_stock: {
    status: 409,
    title: 'Not enough stock',
    description:
      'At least one line asks for more than is available (on hand minus reserved). `skus` names every such SKU and `lines` gives requested and available quantities; nothing was reserved.',
  },
  insufficient_stock: {
    status: 409,
    title: 'Not enough unreserved stock for this change',
    description:
      'Stock on hand cannot go below zero, nor below what is reserved for orders; `available` tells how much can be taken.',
  },
  reservation_key_reused: {
    status: 409,
    title: 'The reservation key was already used for other lines',
    description:
      'A key identifies one reservation: repeating it with the same lines returns the existing reservation; with other lines it is rejected.',
  },
  reservation_not_active: {
    status: 409,
    title: 'The reservation is no longer active',
    description:
      'Only an active reservation can be committed; a committed one cannot be released. `currentState` tells which state it is in.',
  },
  reservation_expired: {
    status: 409,
    title: 'The reservation has expired',
    description: 'Its stock is being released; reserve again.',
  },
  unknown_skus: {
    status: 422,
    title: 'Some SKUs are not products of this tenant',
    description: '`skus` lists them.',
  },
  products_unavailable: {
    status: 422,
    title: 'Some products cannot be sold',
    description: 'Only active products can be reserved; `skus` lists the draft or archived ones.',
  },
  unknown_product: {
    status: 422,
    title: 'The product does not exist',
    description: '`productId` must name a product of the same tenant.',
  },
  unknown_location: {
    status: 422,
    title: 'The location does not exist or is inactive',
  },
  unknown_category: {
    status: 422,
    title: 'A category does not exist',
    description: '`categoryIds` must name categories of the same tenant.',
  },
  category_cycle: {
    status: 422,
    title: 'A category cannot be placed under itself or one of its subcategories',
  },
  invalid_adjustment: {
    status: 422,
    title: 'The adjustment does not fit its reason',
    description:
      '`received` and `returned` add stock, `damaged` and `lost` remove it; `count` sets the counted quantity.',
  },
  invalid_expiry: {
    status: 422,
    title: 'The expiry must be in the future',
  },
});
