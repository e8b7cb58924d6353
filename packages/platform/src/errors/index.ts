/**
 * Errors: one `AppError` type, per-service catalogues of codes, and their rendering as
 * `application/problem+json`.
 * @module
 */
export { AppError, isAppError, type ErrorSpec, type FieldViolation } from './app-error.ts';
export {
  defineErrors,
  errorCatalogue,
  findErrorSpec,
  type CatalogueEntry,
  type ErrorFactories,
} from './catalogue.ts';
export { platformErrors } from './platform-errors.ts';
export { problemSchema, toProblem, PROBLEM_CONTENT_TYPE, type Problem } from './problem.ts';
export { validationError, zodIssuesToViolations } from './validation.ts';
