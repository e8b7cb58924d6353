// Assertions on problem documents (RFC 9457): the ones every service's suites share.
export { expectProblem, expectValidationProblem } from '@only/testing';
