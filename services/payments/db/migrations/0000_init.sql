-- IF NOT EXISTS: the migrator creates the schema first, to keep its journal inside it.
CREATE SCHEMA IF NOT EXISTS "payments";
--> statement-breakpoint
CREATE TABLE "payments"."idempotency_keys" (
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
CREATE TABLE "payments"."outbox" (
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
CREATE TABLE "payments"."payment_operations" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"payment_id" text NOT NULL,
	"kind" text NOT NULL,
	"outcome" text NOT NULL,
	"amount" bigint NOT NULL,
	"currency" text NOT NULL,
	"reason" text,
	"idempotency_key" text,
	"fingerprint" text,
	"from_status" text,
	"attempts" integer DEFAULT 1 NOT NULL,
	"lease_until" timestamp (6) with time zone,
	"provider_reference" text,
	"problem" jsonb,
	"result" jsonb,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp (6) with time zone,
	CONSTRAINT "payment_operations_tenant_key_key" UNIQUE("tenant_id","idempotency_key"),
	CONSTRAINT "payment_operations_kind_check" CHECK ("payments"."payment_operations"."kind" in ('authorize', 'authenticate', 'capture', 'void', 'refund')),
	CONSTRAINT "payment_operations_outcome_check" CHECK ("payments"."payment_operations"."outcome" in ('pending', 'succeeded', 'requires_action', 'declined', 'rejected', 'unknown')),
	CONSTRAINT "payment_operations_amount_check" CHECK ("payments"."payment_operations"."amount" >= 0)
);
--> statement-breakpoint
CREATE TABLE "payments"."payments" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"order_id" text NOT NULL,
	"customer_id" text,
	"status" text NOT NULL,
	"currency" text NOT NULL,
	"amount" bigint NOT NULL,
	"amount_captured" bigint DEFAULT 0 NOT NULL,
	"amount_refunded" bigint DEFAULT 0 NOT NULL,
	"amount_refund_pending" bigint DEFAULT 0 NOT NULL,
	"provider" text NOT NULL,
	"provider_reference" text,
	"card_brand" text,
	"card_last4" text,
	"failure_code" text,
	"failure_message" text,
	"next_action" jsonb,
	"pending_operation_id" text,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"authorized_at" timestamp (6) with time zone,
	"captured_at" timestamp (6) with time zone,
	"voided_at" timestamp (6) with time zone,
	CONSTRAINT "payments_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "payments_status_check" CHECK ("payments"."payments"."status" in ('processing', 'requires_action', 'pending_review', 'authorized', 'captured', 'partially_refunded', 'refunded', 'voided', 'failed')),
	CONSTRAINT "payments_currency_check" CHECK ("payments"."payments"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "payments_amount_check" CHECK ("payments"."payments"."amount" > 0),
	CONSTRAINT "payments_captured_check" CHECK ("payments"."payments"."amount_captured" between 0 and "payments"."payments"."amount"),
	CONSTRAINT "payments_refunded_check" CHECK ("payments"."payments"."amount_refunded" >= 0 and "payments"."payments"."amount_refund_pending" >= 0 and "payments"."payments"."amount_refunded" + "payments"."payments"."amount_refund_pending" <= "payments"."payments"."amount_captured"),
	CONSTRAINT "payments_card_last4_check" CHECK ("payments"."payments"."card_last4" ~ '^[0-9]{4}$')
);
--> statement-breakpoint
CREATE TABLE "payments"."processed_messages" (
	"consumer" text NOT NULL,
	"message_id" uuid NOT NULL,
	"type" text NOT NULL,
	"processed_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "processed_messages_consumer_message_id_pk" PRIMARY KEY("consumer","message_id")
);
--> statement-breakpoint
CREATE TABLE "payments"."webhook_attempts" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"delivery_id" text NOT NULL,
	"attempt" integer NOT NULL,
	"attempted_at" timestamp (6) with time zone NOT NULL,
	"status_code" smallint,
	"error" text,
	"succeeded" boolean NOT NULL,
	CONSTRAINT "webhook_attempts_delivery_attempt_key" UNIQUE("delivery_id","attempt")
);
--> statement-breakpoint
CREATE TABLE "payments"."webhook_deliveries" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"endpoint_id" text NOT NULL,
	"event_id" uuid NOT NULL,
	"event_type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"last_attempt_at" timestamp (6) with time zone,
	"last_status_code" smallint,
	"last_error" text,
	"delivered_at" timestamp (6) with time zone,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_deliveries_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "webhook_deliveries_endpoint_event_key" UNIQUE("endpoint_id","event_id"),
	CONSTRAINT "webhook_deliveries_status_check" CHECK ("payments"."webhook_deliveries"."status" in ('pending', 'delivered', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "payments"."webhook_endpoints" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"url" text NOT NULL,
	"description" text,
	"event_types" text[] NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"signing_secret" text NOT NULL,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_endpoints_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "webhook_endpoints_url_check" CHECK ("payments"."webhook_endpoints"."url" ~ '^https?://')
);
--> statement-breakpoint
ALTER TABLE "payments"."payment_operations" ADD CONSTRAINT "payment_operations_payment_fk" FOREIGN KEY ("tenant_id","payment_id") REFERENCES "payments"."payments"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."webhook_attempts" ADD CONSTRAINT "webhook_attempts_delivery_fk" FOREIGN KEY ("tenant_id","delivery_id") REFERENCES "payments"."webhook_deliveries"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_endpoint_fk" FOREIGN KEY ("tenant_id","endpoint_id") REFERENCES "payments"."webhook_endpoints"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_at_idx" ON "payments"."idempotency_keys" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "payments"."outbox" USING btree ("id") WHERE "payments"."outbox"."published_at" is null;--> statement-breakpoint
CREATE INDEX "outbox_occurred_at_idx" ON "payments"."outbox" USING btree ("occurred_at");--> statement-breakpoint
CREATE INDEX "payment_operations_payment_idx" ON "payments"."payment_operations" USING btree ("tenant_id","payment_id","id");--> statement-breakpoint
CREATE INDEX "payments_tenant_order_idx" ON "payments"."payments" USING btree ("tenant_id","order_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "payments_tenant_status_idx" ON "payments"."payments" USING btree ("tenant_id","status","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "processed_messages_processed_at_idx" ON "payments"."processed_messages" USING btree ("processed_at");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due_idx" ON "payments"."webhook_deliveries" USING btree ("next_attempt_at") WHERE "payments"."webhook_deliveries"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "webhook_deliveries_endpoint_idx" ON "payments"."webhook_deliveries" USING btree ("tenant_id","endpoint_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "webhook_endpoints_tenant_idx" ON "payments"."webhook_endpoints" USING btree ("tenant_id","id" DESC NULLS LAST);