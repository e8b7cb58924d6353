CREATE TABLE "orders"."order_sagas" (
	"order_id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"idempotency_key" text,
	"fingerprint" text,
	"phase" text NOT NULL,
	"outcome" text,
	"reservation" text NOT NULL,
	"payment" text NOT NULL,
	"payment_id" text,
	"payment_token" text,
	"customer_id" text NOT NULL,
	"currency" text NOT NULL,
	"amount" bigint NOT NULL,
	"draft" jsonb NOT NULL,
	"failure" jsonb,
	"cancel_reason" text,
	"correlation_id" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp (6) with time zone NOT NULL,
	"lease_owner" text,
	"lease_until" timestamp (6) with time zone,
	"last_error" text,
	"created_at" timestamp (6) with time zone NOT NULL,
	"updated_at" timestamp (6) with time zone NOT NULL,
	CONSTRAINT "order_sagas_tenant_key_key" UNIQUE("tenant_id","idempotency_key"),
	CONSTRAINT "order_sagas_phase_check" CHECK (phase in ('placing', 'completing', 'compensating', 'cancelling', 'done')),
	CONSTRAINT "order_sagas_outcome_check" CHECK (("orders"."order_sagas"."phase" = 'done') = ("orders"."order_sagas"."outcome" is not null))
);
--> statement-breakpoint
ALTER TABLE "orders"."orders" DROP CONSTRAINT "orders_status_check";--> statement-breakpoint
ALTER TABLE "orders"."orders" ADD COLUMN "payment_id" text;--> statement-breakpoint
ALTER TABLE "orders"."orders" ADD COLUMN "failure" jsonb;--> statement-breakpoint
CREATE INDEX "order_sagas_due_idx" ON "orders"."order_sagas" USING btree ("next_attempt_at") WHERE "orders"."order_sagas"."phase" <> 'done';--> statement-breakpoint
ALTER TABLE "orders"."orders" ADD CONSTRAINT "orders_failure_check" CHECK (("orders"."orders"."status" in ('out_of_stock', 'payment_failed', 'failed')) = ("orders"."orders"."failure" is not null));--> statement-breakpoint
ALTER TABLE "orders"."orders" ADD CONSTRAINT "orders_status_check" CHECK ("orders"."orders"."status" in ('pending', 'confirmed', 'fulfilled', 'completed', 'cancelled', 'out_of_stock', 'payment_failed', 'failed'));