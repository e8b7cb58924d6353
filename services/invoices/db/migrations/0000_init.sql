-- IF NOT EXISTS: the migrator creates the schema first, to keep its journal inside it.
CREATE SCHEMA IF NOT EXISTS "invoices";
--> statement-breakpoint
CREATE TABLE "invoices"."credit_note_lines" (
	"tenant_id" text NOT NULL,
	"credit_note_id" text NOT NULL,
	"rate_bps" integer NOT NULL,
	"subtotal" bigint NOT NULL,
	"tax" bigint NOT NULL,
	CONSTRAINT "credit_note_lines_credit_note_id_rate_bps_pk" PRIMARY KEY("credit_note_id","rate_bps"),
	CONSTRAINT "credit_note_lines_amounts_check" CHECK ("invoices"."credit_note_lines"."subtotal" >= 0 and "invoices"."credit_note_lines"."tax" >= 0)
);
--> statement-breakpoint
CREATE TABLE "invoices"."credit_notes" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"number" text NOT NULL,
	"invoice_id" text NOT NULL,
	"invoice_number" text NOT NULL,
	"order_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"currency" text NOT NULL,
	"subtotal" bigint NOT NULL,
	"tax_total" bigint NOT NULL,
	"total" bigint NOT NULL,
	"reason" text NOT NULL,
	"refund_id" text,
	"issue_date" date NOT NULL,
	"issued_at" timestamp (6) with time zone NOT NULL,
	CONSTRAINT "credit_notes_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "credit_notes_tenant_number_key" UNIQUE("tenant_id","number"),
	CONSTRAINT "credit_notes_tenant_refund_key" UNIQUE("tenant_id","refund_id"),
	CONSTRAINT "credit_notes_totals_check" CHECK ("invoices"."credit_notes"."total" = "invoices"."credit_notes"."subtotal" + "invoices"."credit_notes"."tax_total" and "invoices"."credit_notes"."total" > 0)
);
--> statement-breakpoint
CREATE TABLE "invoices"."idempotency_keys" (
	"tenant_id" text NOT NULL,
	"key" text NOT NULL,
	"fingerprint" text NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"status_code" smallint,
	"response_body" jsonb,
	"response_headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_tenant_id_key_pk" PRIMARY KEY("tenant_id","key")
);
--> statement-breakpoint
CREATE TABLE "invoices"."invoice_lines" (
	"tenant_id" text NOT NULL,
	"invoice_id" text NOT NULL,
	"position" integer NOT NULL,
	"sku" text NOT NULL,
	"name" text NOT NULL,
	"quantity" integer NOT NULL,
	"unit_price" bigint NOT NULL,
	"tax_rate_bps" integer NOT NULL,
	"subtotal" bigint NOT NULL,
	"tax" bigint NOT NULL,
	"total" bigint NOT NULL,
	CONSTRAINT "invoice_lines_invoice_id_position_pk" PRIMARY KEY("invoice_id","position"),
	CONSTRAINT "invoice_lines_quantity_check" CHECK ("invoices"."invoice_lines"."quantity" > 0),
	CONSTRAINT "invoice_lines_total_check" CHECK ("invoices"."invoice_lines"."total" = "invoices"."invoice_lines"."subtotal" + "invoices"."invoice_lines"."tax")
);
--> statement-breakpoint
CREATE TABLE "invoices"."invoice_settings" (
	"tenant_id" text PRIMARY KEY NOT NULL,
	"invoice_number_format" text NOT NULL,
	"credit_note_number_format" text NOT NULL,
	"payment_terms_days" integer NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invoice_settings_terms_check" CHECK ("invoices"."invoice_settings"."payment_terms_days" between 0 and 365)
);
--> statement-breakpoint
CREATE TABLE "invoices"."invoice_taxes" (
	"tenant_id" text NOT NULL,
	"invoice_id" text NOT NULL,
	"rate_bps" integer NOT NULL,
	"taxable" bigint NOT NULL,
	"tax" bigint NOT NULL,
	CONSTRAINT "invoice_taxes_invoice_id_rate_bps_pk" PRIMARY KEY("invoice_id","rate_bps")
);
--> statement-breakpoint
CREATE TABLE "invoices"."invoices" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"number" text NOT NULL,
	"order_id" text NOT NULL,
	"order_number" text NOT NULL,
	"customer_id" text NOT NULL,
	"customer_name" text NOT NULL,
	"customer_email" text NOT NULL,
	"billing_address" jsonb,
	"seller_name" text NOT NULL,
	"status" text NOT NULL,
	"currency" text NOT NULL,
	"subtotal" bigint NOT NULL,
	"tax_total" bigint NOT NULL,
	"total" bigint NOT NULL,
	"amount_paid" bigint DEFAULT 0 NOT NULL,
	"amount_credited" bigint DEFAULT 0 NOT NULL,
	"issue_date" date NOT NULL,
	"due_date" date NOT NULL,
	"payment_terms_days" integer NOT NULL,
	"payment_id" text,
	"issued_at" timestamp (6) with time zone NOT NULL,
	"paid_at" timestamp (6) with time zone,
	"credited_at" timestamp (6) with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invoices_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "invoices_tenant_number_key" UNIQUE("tenant_id","number"),
	CONSTRAINT "invoices_tenant_order_key" UNIQUE("tenant_id","order_id"),
	CONSTRAINT "invoices_status_check" CHECK ("invoices"."invoices"."status" in ('issued', 'paid', 'credited')),
	CONSTRAINT "invoices_currency_check" CHECK ("invoices"."invoices"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "invoices_totals_check" CHECK ("invoices"."invoices"."total" = "invoices"."invoices"."subtotal" + "invoices"."invoices"."tax_total" and "invoices"."invoices"."subtotal" >= 0),
	CONSTRAINT "invoices_credited_check" CHECK ("invoices"."invoices"."amount_credited" between 0 and "invoices"."invoices"."total"),
	CONSTRAINT "invoices_due_date_check" CHECK ("invoices"."invoices"."due_date" >= "invoices"."invoices"."issue_date")
);
--> statement-breakpoint
CREATE TABLE "invoices"."number_counters" (
	"tenant_id" text NOT NULL,
	"series" text NOT NULL,
	"period" text NOT NULL,
	"last_value" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "number_counters_tenant_id_series_period_pk" PRIMARY KEY("tenant_id","series","period"),
	CONSTRAINT "number_counters_series_check" CHECK ("invoices"."number_counters"."series" in ('invoice', 'credit_note')),
	CONSTRAINT "number_counters_last_value_check" CHECK ("invoices"."number_counters"."last_value" >= 0)
);
--> statement-breakpoint
CREATE TABLE "invoices"."order_payments" (
	"tenant_id" text NOT NULL,
	"payment_id" text NOT NULL,
	"order_id" text NOT NULL,
	"currency" text NOT NULL,
	"captured" bigint NOT NULL,
	"last_captured_at" timestamp (6) with time zone NOT NULL,
	CONSTRAINT "order_payments_tenant_id_payment_id_pk" PRIMARY KEY("tenant_id","payment_id"),
	CONSTRAINT "order_payments_captured_check" CHECK ("invoices"."order_payments"."captured" >= 0)
);
--> statement-breakpoint
CREATE TABLE "invoices"."outbox" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"type" text NOT NULL,
	"version" integer NOT NULL,
	"aggregate_id" text NOT NULL,
	"envelope" jsonb NOT NULL,
	"headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"occurred_at" timestamp (6) with time zone NOT NULL,
	"published_at" timestamp (6) with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "invoices"."payment_refunds" (
	"tenant_id" text NOT NULL,
	"refund_id" text NOT NULL,
	"payment_id" text NOT NULL,
	"order_id" text NOT NULL,
	"currency" text NOT NULL,
	"amount" bigint NOT NULL,
	"reason" text NOT NULL,
	"refunded_at" timestamp (6) with time zone NOT NULL,
	"credit_note_id" text,
	CONSTRAINT "payment_refunds_tenant_id_refund_id_pk" PRIMARY KEY("tenant_id","refund_id"),
	CONSTRAINT "payment_refunds_amount_check" CHECK ("invoices"."payment_refunds"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "invoices"."processed_messages" (
	"consumer" text NOT NULL,
	"message_id" uuid NOT NULL,
	"type" text NOT NULL,
	"processed_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "processed_messages_consumer_message_id_pk" PRIMARY KEY("consumer","message_id")
);
--> statement-breakpoint
CREATE TABLE "invoices"."tenant_profiles" (
	"tenant_id" text PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"branding" jsonb NOT NULL,
	"locale" text NOT NULL,
	"timezone" text NOT NULL,
	"source_updated_at" timestamp (6) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "invoices"."credit_note_lines" ADD CONSTRAINT "credit_note_lines_credit_note_fk" FOREIGN KEY ("tenant_id","credit_note_id") REFERENCES "invoices"."credit_notes"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices"."credit_notes" ADD CONSTRAINT "credit_notes_invoice_fk" FOREIGN KEY ("tenant_id","invoice_id") REFERENCES "invoices"."invoices"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices"."invoice_lines" ADD CONSTRAINT "invoice_lines_invoice_fk" FOREIGN KEY ("tenant_id","invoice_id") REFERENCES "invoices"."invoices"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices"."invoice_taxes" ADD CONSTRAINT "invoice_taxes_invoice_fk" FOREIGN KEY ("tenant_id","invoice_id") REFERENCES "invoices"."invoices"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "credit_notes_tenant_invoice_idx" ON "invoices"."credit_notes" USING btree ("tenant_id","invoice_id");--> statement-breakpoint
CREATE INDEX "credit_notes_tenant_customer_idx" ON "invoices"."credit_notes" USING btree ("tenant_id","customer_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_at_idx" ON "invoices"."idempotency_keys" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "invoices_tenant_status_idx" ON "invoices"."invoices" USING btree ("tenant_id","status","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "invoices_tenant_customer_idx" ON "invoices"."invoices" USING btree ("tenant_id","customer_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "order_payments_tenant_order_idx" ON "invoices"."order_payments" USING btree ("tenant_id","order_id");--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "invoices"."outbox" USING btree ("id") WHERE "invoices"."outbox"."published_at" is null;--> statement-breakpoint
CREATE INDEX "outbox_occurred_at_idx" ON "invoices"."outbox" USING btree ("occurred_at");--> statement-breakpoint
CREATE INDEX "payment_refunds_tenant_order_idx" ON "invoices"."payment_refunds" USING btree ("tenant_id","order_id");--> statement-breakpoint
CREATE INDEX "processed_messages_processed_at_idx" ON "invoices"."processed_messages" USING btree ("processed_at");