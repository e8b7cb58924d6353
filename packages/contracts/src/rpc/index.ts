/**
 * What every internal RPC shares: the error detail that carries a problem code across the wire
 * (see `only/rpc/v1/error_detail.proto`) and money as integer minor units plus currency. The
 * services' contracts are `@only/contracts/rpc/catalog`, `…/payments` and `…/orders`; the client
 * and server kernel is `@only/platform/rpc`.
 * @module
 */
export * from '../gen/only/rpc/v1/error_detail_pb.ts';
export * from '../gen/only/common/v1/money_pb.ts';
export { moneyOf, toMoney, type MoneyAmount } from './money.ts';
