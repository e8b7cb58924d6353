import { defineErrors } from '@only/platform/errors';

/** Errors of the invoices service: `invoices.<name>`, documented at `/problems/invoices.<name>`. */
export const invoicesErrors = defineErrors('invoices', {
  invoice_not_found: { status: 404, title: 'Invoice not found' },
  credit_note_not_found: { status: 404, title: 'Credit note not found' },
  nothing_to_credit: {
    status: 409,
    title: 'The invoice is credited in full',
    description: 'Its credit notes already add up to its total; `amountCredited` tells how much.',
  },
  credit_exceeds_balance: {
    status: 422,
    title: 'The credit is larger than what is left to credit',
    description:
      'A credit note may credit at most the invoice total less earlier credit notes; `creditable` tells how much that is.',
  },
});
