-- IF NOT EXISTS: the migrator creates the schema first, to keep its journal inside it.
CREATE SCHEMA IF NOT EXISTS "notifications";
--> statement-breakpoint
CREATE TABLE "notifications"."customer_contacts" (
	"tenant_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"phone" text,
	"locale" text,
	"updated_at" timestamp (6) with time zone NOT NULL,
	"deleted_at" timestamp (6) with time zone,
	CONSTRAINT "customer_contacts_pk" PRIMARY KEY("tenant_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "notifications"."deliveries" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"kind" text NOT NULL,
	"channel" text NOT NULL,
	"recipient_type" text NOT NULL,
	"recipient_id" text NOT NULL,
	"address" text NOT NULL,
	"locale" text NOT NULL,
	"from_name" text,
	"subject" text,
	"body_text" text,
	"body_html" text,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer NOT NULL,
	"next_attempt_at" timestamp (6) with time zone,
	"last_error" text,
	"provider_message_id" text,
	"provider_response" text,
	"source_event_id" uuid NOT NULL,
	"source_event_type" text NOT NULL,
	"created_at" timestamp (6) with time zone NOT NULL,
	"updated_at" timestamp (6) with time zone NOT NULL,
	"sent_at" timestamp (6) with time zone,
	CONSTRAINT "deliveries_source_key" UNIQUE("tenant_id","source_event_id","channel","recipient_id"),
	CONSTRAINT "deliveries_status_check" CHECK ("notifications"."deliveries"."status" in ('queued', 'sent', 'failed', 'skipped')),
	CONSTRAINT "deliveries_channel_check" CHECK ("notifications"."deliveries"."channel" in ('email', 'sms', 'in_app'))
);
--> statement-breakpoint
CREATE TABLE "notifications"."delivery_attempts" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"delivery_id" text NOT NULL,
	"attempt" integer NOT NULL,
	"outcome" text NOT NULL,
	"transient" boolean,
	"error" text,
	"provider_message_id" text,
	"provider_response" text,
	"started_at" timestamp (6) with time zone NOT NULL,
	"finished_at" timestamp (6) with time zone NOT NULL,
	CONSTRAINT "delivery_attempts_delivery_attempt_key" UNIQUE("tenant_id","delivery_id","attempt")
);
--> statement-breakpoint
CREATE TABLE "notifications"."idempotency_keys" (
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
CREATE TABLE "notifications"."in_app_notifications" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"link" text,
	"read_at" timestamp (6) with time zone,
	"created_at" timestamp (6) with time zone NOT NULL,
	"source_event_id" uuid
);
--> statement-breakpoint
CREATE TABLE "notifications"."order_summaries" (
	"tenant_id" text NOT NULL,
	"order_id" text NOT NULL,
	"number" text NOT NULL,
	"customer_id" text NOT NULL,
	"currency" text NOT NULL,
	"totals" jsonb NOT NULL,
	"lines" jsonb NOT NULL,
	"placed_at" timestamp (6) with time zone NOT NULL,
	CONSTRAINT "order_summaries_pk" PRIMARY KEY("tenant_id","order_id")
);
--> statement-breakpoint
CREATE TABLE "notifications"."outbox" (
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
CREATE TABLE "notifications"."preferences" (
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"locale" text,
	"channels" jsonb NOT NULL,
	"updated_at" timestamp (6) with time zone NOT NULL,
	CONSTRAINT "preferences_pk" PRIMARY KEY("tenant_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "notifications"."processed_messages" (
	"consumer" text NOT NULL,
	"message_id" uuid NOT NULL,
	"type" text NOT NULL,
	"processed_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "processed_messages_consumer_message_id_pk" PRIMARY KEY("consumer","message_id")
);
--> statement-breakpoint
CREATE TABLE "notifications"."staff_roles" (
	"tenant_id" text NOT NULL,
	"role_id" text NOT NULL,
	"name" text NOT NULL,
	"permissions" text[] NOT NULL,
	"updated_at" timestamp (6) with time zone NOT NULL,
	CONSTRAINT "staff_roles_pk" PRIMARY KEY("tenant_id","role_id"),
	CONSTRAINT "staff_roles_tenant_name_key" UNIQUE("tenant_id","name")
);
--> statement-breakpoint
CREATE TABLE "notifications"."staff_users" (
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"roles" text[] NOT NULL,
	"status" text NOT NULL,
	"updated_at" timestamp (6) with time zone NOT NULL,
	CONSTRAINT "staff_users_pk" PRIMARY KEY("tenant_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "notifications"."templates" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"kind" text NOT NULL,
	"locale" text NOT NULL,
	"subject" text,
	"html" text,
	"text" text,
	"sms" text,
	"in_app_title" text,
	"in_app_body" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (6) with time zone NOT NULL,
	"updated_at" timestamp (6) with time zone NOT NULL,
	CONSTRAINT "templates_tenant_kind_locale_key" UNIQUE("tenant_id","kind","locale")
);
--> statement-breakpoint
CREATE TABLE "notifications"."tenant_profiles" (
	"tenant_id" text PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"locale" text NOT NULL,
	"timezone" text DEFAULT 'UTC' NOT NULL,
	"branding" jsonb,
	"updated_at" timestamp (6) with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "deliveries_due_idx" ON "notifications"."deliveries" USING btree ("next_attempt_at") WHERE "notifications"."deliveries"."status" = 'queued';--> statement-breakpoint
CREATE INDEX "deliveries_tenant_idx" ON "notifications"."deliveries" USING btree ("tenant_id","id");--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_at_idx" ON "notifications"."idempotency_keys" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "in_app_notifications_user_idx" ON "notifications"."in_app_notifications" USING btree ("tenant_id","user_id","id");--> statement-breakpoint
CREATE INDEX "in_app_notifications_unread_idx" ON "notifications"."in_app_notifications" USING btree ("tenant_id","user_id") WHERE "notifications"."in_app_notifications"."read_at" is null;--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "notifications"."outbox" USING btree ("id") WHERE "notifications"."outbox"."published_at" is null;--> statement-breakpoint
CREATE INDEX "outbox_occurred_at_idx" ON "notifications"."outbox" USING btree ("occurred_at");--> statement-breakpoint
CREATE INDEX "processed_messages_processed_at_idx" ON "notifications"."processed_messages" USING btree ("processed_at");