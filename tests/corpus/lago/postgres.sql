-- Lago (getlago/lago-api) db/schema.rb transcribed to PostgreSQL DDL. Views omitted. See NOTES.md.
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TYPE "billable_metric_weighted_interval" AS ENUM ('seconds');
CREATE TYPE "subscription_invoicing_reason" AS ENUM ('subscription_starting', 'subscription_periodic', 'subscription_terminating', 'in_advance_charge', 'in_advance_charge_periodic');

CREATE TABLE "active_storage_attachments" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "name" character varying NOT NULL,
    "record_type" character varying NOT NULL,
    "blob_id" uuid NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "record_id" uuid,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_active_storage_attachments_on_blob_id" ON "active_storage_attachments" ("blob_id");

CREATE TABLE "active_storage_blobs" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "key" character varying NOT NULL,
    "filename" character varying NOT NULL,
    "content_type" character varying,
    "metadata" text,
    "service_name" character varying NOT NULL,
    "byte_size" bigint NOT NULL,
    "checksum" character varying,
    "created_at" timestamp(6) without time zone NOT NULL,
    PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "index_active_storage_blobs_on_key" ON "active_storage_blobs" ("key");

CREATE TABLE "active_storage_variant_records" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "blob_id" uuid NOT NULL,
    "variation_digest" character varying NOT NULL,
    PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "index_active_storage_variant_records_uniqueness" ON "active_storage_variant_records" ("blob_id", "variation_digest");

CREATE TABLE "add_ons" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "organization_id" uuid NOT NULL,
    "name" character varying NOT NULL,
    "code" character varying NOT NULL,
    "description" character varying,
    "amount_cents" bigint NOT NULL,
    "amount_currency" character varying NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "deleted_at" timestamp(6) without time zone,
    "invoice_display_name" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_add_ons_on_deleted_at" ON "add_ons" ("deleted_at");
CREATE UNIQUE INDEX "index_add_ons_on_organization_id_and_code" ON "add_ons" ("organization_id", "code") WHERE (deleted_at IS NULL);
CREATE INDEX "index_add_ons_on_organization_id" ON "add_ons" ("organization_id");

CREATE TABLE "add_ons_taxes" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "add_on_id" uuid NOT NULL,
    "tax_id" uuid NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "index_add_ons_taxes_on_add_on_id_and_tax_id" ON "add_ons_taxes" ("add_on_id", "tax_id");
CREATE INDEX "index_add_ons_taxes_on_add_on_id" ON "add_ons_taxes" ("add_on_id");
CREATE INDEX "index_add_ons_taxes_on_tax_id" ON "add_ons_taxes" ("tax_id");

CREATE TABLE "adjusted_fees" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "fee_id" uuid,
    "invoice_id" uuid NOT NULL,
    "subscription_id" uuid,
    "charge_id" uuid,
    "invoice_display_name" character varying,
    "fee_type" integer,
    "adjusted_units" boolean DEFAULT false NOT NULL,
    "adjusted_amount" boolean DEFAULT false NOT NULL,
    "units" numeric DEFAULT 0.0 NOT NULL,
    "unit_amount_cents" bigint DEFAULT 0 NOT NULL,
    "properties" jsonb DEFAULT '{}' NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "group_id" uuid,
    "grouped_by" jsonb DEFAULT '{}' NOT NULL,
    "charge_filter_id" uuid,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_adjusted_fees_on_charge_filter_id" ON "adjusted_fees" ("charge_filter_id");
CREATE INDEX "index_adjusted_fees_on_charge_id" ON "adjusted_fees" ("charge_id");
CREATE INDEX "index_adjusted_fees_on_fee_id" ON "adjusted_fees" ("fee_id");
CREATE INDEX "index_adjusted_fees_on_group_id" ON "adjusted_fees" ("group_id");
CREATE INDEX "index_adjusted_fees_on_invoice_id" ON "adjusted_fees" ("invoice_id");
CREATE INDEX "index_adjusted_fees_on_subscription_id" ON "adjusted_fees" ("subscription_id");

CREATE TABLE "applied_add_ons" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "add_on_id" uuid NOT NULL,
    "customer_id" uuid NOT NULL,
    "amount_cents" bigint NOT NULL,
    "amount_currency" character varying NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_applied_add_ons_on_add_on_id_and_customer_id" ON "applied_add_ons" ("add_on_id", "customer_id");
CREATE INDEX "index_applied_add_ons_on_add_on_id" ON "applied_add_ons" ("add_on_id");
CREATE INDEX "index_applied_add_ons_on_customer_id" ON "applied_add_ons" ("customer_id");

CREATE TABLE "applied_coupons" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "coupon_id" uuid NOT NULL,
    "customer_id" uuid NOT NULL,
    "status" integer DEFAULT 0 NOT NULL,
    "amount_cents" bigint,
    "amount_currency" character varying,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "terminated_at" timestamp without time zone,
    "percentage_rate" numeric(10,5),
    "frequency" integer DEFAULT 0 NOT NULL,
    "frequency_duration" integer,
    "frequency_duration_remaining" integer,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_applied_coupons_on_coupon_id" ON "applied_coupons" ("coupon_id");
CREATE INDEX "index_applied_coupons_on_customer_id" ON "applied_coupons" ("customer_id");

CREATE TABLE "billable_metric_filters" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "billable_metric_id" uuid NOT NULL,
    "key" character varying NOT NULL,
    "values" character varying[] DEFAULT '{}' NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "deleted_at" timestamp(6) without time zone,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_active_metric_filters" ON "billable_metric_filters" ("billable_metric_id") WHERE (deleted_at IS NULL);
CREATE INDEX "index_billable_metric_filters_on_billable_metric_id" ON "billable_metric_filters" ("billable_metric_id");
CREATE INDEX "index_billable_metric_filters_on_deleted_at" ON "billable_metric_filters" ("deleted_at");

CREATE TABLE "billable_metrics" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "organization_id" uuid NOT NULL,
    "name" character varying NOT NULL,
    "code" character varying NOT NULL,
    "description" character varying,
    "properties" jsonb DEFAULT '{}',
    "aggregation_type" integer NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "field_name" character varying,
    "deleted_at" timestamp(6) without time zone,
    "recurring" boolean DEFAULT false NOT NULL,
    "weighted_interval" billable_metric_weighted_interval,
    "custom_aggregator" text,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_billable_metrics_on_deleted_at" ON "billable_metrics" ("deleted_at");
CREATE UNIQUE INDEX "index_billable_metrics_on_organization_id_and_code" ON "billable_metrics" ("organization_id", "code") WHERE (deleted_at IS NULL);
CREATE INDEX "index_billable_metrics_on_organization_id" ON "billable_metrics" ("organization_id");

CREATE TABLE "cached_aggregations" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "organization_id" uuid NOT NULL,
    "event_id" uuid,
    "timestamp" timestamp(6) without time zone NOT NULL,
    "external_subscription_id" character varying NOT NULL,
    "charge_id" uuid NOT NULL,
    "group_id" uuid,
    "current_aggregation" numeric,
    "max_aggregation" numeric,
    "max_aggregation_with_proration" numeric,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "grouped_by" jsonb DEFAULT '{}' NOT NULL,
    "charge_filter_id" uuid,
    "current_amount" numeric,
    "event_transaction_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_cached_aggregations_on_charge_id" ON "cached_aggregations" ("charge_id");
CREATE INDEX "index_cached_aggregations_on_event_id" ON "cached_aggregations" ("event_id");
CREATE INDEX "index_cached_aggregations_on_external_subscription_id" ON "cached_aggregations" ("external_subscription_id");
CREATE INDEX "index_cached_aggregations_on_group_id" ON "cached_aggregations" ("group_id");
CREATE INDEX "index_cached_aggregations_on_event_transaction_id" ON "cached_aggregations" ("organization_id", "event_transaction_id");
CREATE INDEX "index_timestamp_filter_lookup" ON "cached_aggregations" ("organization_id", "timestamp", "charge_id", "charge_filter_id");
CREATE INDEX "index_timestamp_group_lookup" ON "cached_aggregations" ("organization_id", "timestamp", "charge_id", "group_id");
CREATE INDEX "index_timestamp_lookup" ON "cached_aggregations" ("organization_id", "timestamp", "charge_id");
CREATE INDEX "index_cached_aggregations_on_organization_id" ON "cached_aggregations" ("organization_id");

CREATE TABLE "charge_filter_values" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "charge_filter_id" uuid NOT NULL,
    "billable_metric_filter_id" uuid NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "deleted_at" timestamp(6) without time zone,
    "values" character varying[] DEFAULT '{}' NOT NULL,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_charge_filter_values_on_billable_metric_filter_id" ON "charge_filter_values" ("billable_metric_filter_id");
CREATE INDEX "index_active_charge_filter_values" ON "charge_filter_values" ("charge_filter_id") WHERE (deleted_at IS NULL);
CREATE INDEX "index_charge_filter_values_on_charge_filter_id" ON "charge_filter_values" ("charge_filter_id");
CREATE INDEX "index_charge_filter_values_on_deleted_at" ON "charge_filter_values" ("deleted_at");

CREATE TABLE "charge_filters" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "charge_id" uuid NOT NULL,
    "properties" jsonb DEFAULT '{}' NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "deleted_at" timestamp(6) without time zone,
    "invoice_display_name" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_active_charge_filters" ON "charge_filters" ("charge_id") WHERE (deleted_at IS NULL);
CREATE INDEX "index_charge_filters_on_charge_id" ON "charge_filters" ("charge_id");
CREATE INDEX "index_charge_filters_on_deleted_at" ON "charge_filters" ("deleted_at");

CREATE TABLE "charges" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "billable_metric_id" uuid,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "plan_id" uuid,
    "amount_currency" character varying,
    "charge_model" integer DEFAULT 0 NOT NULL,
    "properties" jsonb DEFAULT '{}' NOT NULL,
    "deleted_at" timestamp(6) without time zone,
    "pay_in_advance" boolean DEFAULT false NOT NULL,
    "min_amount_cents" bigint DEFAULT 0 NOT NULL,
    "invoiceable" boolean DEFAULT true NOT NULL,
    "prorated" boolean DEFAULT false NOT NULL,
    "invoice_display_name" character varying,
    "regroup_paid_fees" integer,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_charges_on_billable_metric_id" ON "charges" ("billable_metric_id");
CREATE INDEX "index_charges_on_deleted_at" ON "charges" ("deleted_at");
CREATE INDEX "index_charges_on_plan_id" ON "charges" ("plan_id");

CREATE TABLE "charges_taxes" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "charge_id" uuid NOT NULL,
    "tax_id" uuid NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "index_charges_taxes_on_charge_id_and_tax_id" ON "charges_taxes" ("charge_id", "tax_id");
CREATE INDEX "index_charges_taxes_on_charge_id" ON "charges_taxes" ("charge_id");
CREATE INDEX "index_charges_taxes_on_tax_id" ON "charges_taxes" ("tax_id");

CREATE TABLE "commitments" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "plan_id" uuid NOT NULL,
    "commitment_type" integer NOT NULL,
    "amount_cents" bigint NOT NULL,
    "invoice_display_name" character varying,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "index_commitments_on_commitment_type_and_plan_id" ON "commitments" ("commitment_type", "plan_id");
CREATE INDEX "index_commitments_on_plan_id" ON "commitments" ("plan_id");

CREATE TABLE "commitments_taxes" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "commitment_id" uuid NOT NULL,
    "tax_id" uuid NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_commitments_taxes_on_commitment_id" ON "commitments_taxes" ("commitment_id");
CREATE INDEX "index_commitments_taxes_on_tax_id" ON "commitments_taxes" ("tax_id");

CREATE TABLE "coupon_targets" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "coupon_id" uuid NOT NULL,
    "plan_id" uuid,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "deleted_at" timestamp(6) without time zone,
    "billable_metric_id" uuid,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_coupon_targets_on_billable_metric_id" ON "coupon_targets" ("billable_metric_id");
CREATE INDEX "index_coupon_targets_on_coupon_id" ON "coupon_targets" ("coupon_id");
CREATE INDEX "index_coupon_targets_on_deleted_at" ON "coupon_targets" ("deleted_at");
CREATE INDEX "index_coupon_targets_on_plan_id" ON "coupon_targets" ("plan_id");

CREATE TABLE "coupons" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "organization_id" uuid NOT NULL,
    "name" character varying NOT NULL,
    "code" character varying,
    "status" integer DEFAULT 0 NOT NULL,
    "terminated_at" timestamp(6) without time zone,
    "amount_cents" bigint,
    "amount_currency" character varying,
    "expiration" integer NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "coupon_type" integer DEFAULT 0 NOT NULL,
    "percentage_rate" numeric(10,5),
    "frequency" integer DEFAULT 0 NOT NULL,
    "frequency_duration" integer,
    "expiration_at" timestamp(6) without time zone,
    "reusable" boolean DEFAULT true NOT NULL,
    "limited_plans" boolean DEFAULT false NOT NULL,
    "deleted_at" timestamp(6) without time zone,
    "limited_billable_metrics" boolean DEFAULT false NOT NULL,
    "description" text,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_coupons_on_deleted_at" ON "coupons" ("deleted_at");
CREATE UNIQUE INDEX "index_coupons_on_organization_id_and_code" ON "coupons" ("organization_id", "code") WHERE (deleted_at IS NULL);
CREATE INDEX "index_coupons_on_organization_id" ON "coupons" ("organization_id");

CREATE TABLE "credit_note_items" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "credit_note_id" uuid NOT NULL,
    "fee_id" uuid,
    "amount_cents" bigint DEFAULT 0 NOT NULL,
    "amount_currency" character varying NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "precise_amount_cents" numeric(30,5) NOT NULL,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_credit_note_items_on_credit_note_id" ON "credit_note_items" ("credit_note_id");
CREATE INDEX "index_credit_note_items_on_fee_id" ON "credit_note_items" ("fee_id");

CREATE TABLE "credit_notes" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "customer_id" uuid NOT NULL,
    "invoice_id" uuid NOT NULL,
    "sequential_id" integer NOT NULL,
    "number" character varying NOT NULL,
    "credit_amount_cents" bigint DEFAULT 0 NOT NULL,
    "credit_amount_currency" character varying NOT NULL,
    "credit_status" integer,
    "balance_amount_cents" bigint DEFAULT 0 NOT NULL,
    "balance_amount_currency" character varying DEFAULT '0' NOT NULL,
    "reason" integer NOT NULL,
    "file" character varying,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "total_amount_cents" bigint DEFAULT 0 NOT NULL,
    "total_amount_currency" character varying NOT NULL,
    "refund_amount_cents" bigint DEFAULT 0 NOT NULL,
    "refund_amount_currency" character varying,
    "refund_status" integer,
    "voided_at" timestamp(6) without time zone,
    "description" text,
    "taxes_amount_cents" bigint DEFAULT 0 NOT NULL,
    "refunded_at" timestamp(6) without time zone,
    "issuing_date" date NOT NULL,
    "status" integer DEFAULT 1 NOT NULL,
    "coupons_adjustment_amount_cents" bigint DEFAULT 0 NOT NULL,
    "precise_coupons_adjustment_amount_cents" numeric(30,5) DEFAULT 0.0 NOT NULL,
    "precise_taxes_amount_cents" numeric(30,5) DEFAULT 0.0 NOT NULL,
    "taxes_rate" double precision DEFAULT 0.0 NOT NULL,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_credit_notes_on_customer_id" ON "credit_notes" ("customer_id");
CREATE INDEX "index_credit_notes_on_invoice_id" ON "credit_notes" ("invoice_id");

CREATE TABLE "credit_notes_taxes" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "credit_note_id" uuid NOT NULL,
    "tax_id" uuid NOT NULL,
    "tax_description" character varying,
    "tax_code" character varying NOT NULL,
    "tax_name" character varying NOT NULL,
    "tax_rate" double precision DEFAULT 0.0 NOT NULL,
    "amount_cents" bigint DEFAULT 0 NOT NULL,
    "amount_currency" character varying NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "base_amount_cents" bigint DEFAULT 0 NOT NULL,
    PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "index_credit_notes_taxes_on_credit_note_id_and_tax_id" ON "credit_notes_taxes" ("credit_note_id", "tax_id");
CREATE INDEX "index_credit_notes_taxes_on_credit_note_id" ON "credit_notes_taxes" ("credit_note_id");
CREATE INDEX "index_credit_notes_taxes_on_tax_id" ON "credit_notes_taxes" ("tax_id");

CREATE TABLE "credits" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "invoice_id" uuid,
    "applied_coupon_id" uuid,
    "amount_cents" bigint NOT NULL,
    "amount_currency" character varying NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "credit_note_id" uuid,
    "before_taxes" boolean DEFAULT false NOT NULL,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_credits_on_applied_coupon_id" ON "credits" ("applied_coupon_id");
CREATE INDEX "index_credits_on_credit_note_id" ON "credits" ("credit_note_id");
CREATE INDEX "index_credits_on_invoice_id" ON "credits" ("invoice_id");

CREATE TABLE "customer_metadata" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "customer_id" uuid NOT NULL,
    "key" character varying NOT NULL,
    "value" character varying NOT NULL,
    "display_in_invoice" boolean DEFAULT false NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "index_customer_metadata_on_customer_id_and_key" ON "customer_metadata" ("customer_id", "key");
CREATE INDEX "index_customer_metadata_on_customer_id" ON "customer_metadata" ("customer_id");

CREATE TABLE "customers" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "external_id" character varying NOT NULL,
    "name" character varying,
    "organization_id" uuid NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "country" character varying,
    "address_line1" character varying,
    "address_line2" character varying,
    "state" character varying,
    "zipcode" character varying,
    "email" character varying,
    "city" character varying,
    "url" character varying,
    "phone" character varying,
    "logo_url" character varying,
    "legal_name" character varying,
    "legal_number" character varying,
    "vat_rate" double precision,
    "payment_provider" character varying,
    "slug" character varying,
    "sequential_id" bigint,
    "currency" character varying,
    "invoice_grace_period" integer,
    "timezone" character varying,
    "deleted_at" timestamp(6) without time zone,
    "document_locale" character varying,
    "tax_identification_number" character varying,
    "net_payment_term" integer,
    "external_salesforce_id" character varying,
    "payment_provider_code" character varying,
    "shipping_address_line1" character varying,
    "shipping_address_line2" character varying,
    "shipping_city" character varying,
    "shipping_zipcode" character varying,
    "shipping_state" character varying,
    "shipping_country" character varying,
    PRIMARY KEY ("id"),
    CONSTRAINT "check_customers_on_invoice_grace_period" CHECK (invoice_grace_period >= 0),
    CONSTRAINT "check_customers_on_net_payment_term" CHECK (net_payment_term >= 0)
);
CREATE INDEX "index_customers_on_deleted_at" ON "customers" ("deleted_at");
CREATE UNIQUE INDEX "index_customers_on_external_id_and_organization_id" ON "customers" ("external_id", "organization_id") WHERE (deleted_at IS NULL);
CREATE INDEX "index_customers_on_organization_id" ON "customers" ("organization_id");

CREATE TABLE "customers_taxes" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "customer_id" uuid NOT NULL,
    "tax_id" uuid NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "index_customers_taxes_on_customer_id_and_tax_id" ON "customers_taxes" ("customer_id", "tax_id");
CREATE INDEX "index_customers_taxes_on_customer_id" ON "customers_taxes" ("customer_id");
CREATE INDEX "index_customers_taxes_on_tax_id" ON "customers_taxes" ("tax_id");

CREATE TABLE "data_exports" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "format" integer,
    "resource_type" character varying NOT NULL,
    "resource_query" jsonb DEFAULT '{}',
    "status" integer DEFAULT 0 NOT NULL,
    "expires_at" timestamp without time zone,
    "started_at" timestamp without time zone,
    "completed_at" timestamp without time zone,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "membership_id" uuid,
    "organization_id" uuid,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_data_exports_on_membership_id" ON "data_exports" ("membership_id");
CREATE INDEX "index_data_exports_on_organization_id" ON "data_exports" ("organization_id");

CREATE TABLE "events" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "organization_id" uuid NOT NULL,
    "customer_id" uuid,
    "transaction_id" character varying NOT NULL,
    "code" character varying NOT NULL,
    "properties" jsonb DEFAULT '{}' NOT NULL,
    "timestamp" timestamp without time zone,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "metadata" jsonb DEFAULT '{}' NOT NULL,
    "subscription_id" uuid,
    "deleted_at" timestamp(6) without time zone,
    "external_customer_id" character varying,
    "external_subscription_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_events_on_customer_id" ON "events" ("customer_id");
CREATE INDEX "index_events_on_deleted_at" ON "events" ("deleted_at");
CREATE INDEX "index_events_on_organization_id_and_code_and_created_at" ON "events" ("organization_id", "code", "created_at") WHERE (deleted_at IS NULL);
CREATE INDEX "index_events_on_organization_id_and_code" ON "events" ("organization_id", "code");
CREATE INDEX "index_events_on_external_subscription_id_and_code_and_timestamp" ON "events" ("organization_id", "external_subscription_id", "code", "timestamp") WHERE (deleted_at IS NULL);
CREATE UNIQUE INDEX "index_unique_transaction_id" ON "events" ("organization_id", "external_subscription_id", "transaction_id");
CREATE INDEX "index_events_on_organization_id_and_timestamp" ON "events" ("organization_id", "timestamp") WHERE (deleted_at IS NULL);
CREATE INDEX "index_events_on_organization_id" ON "events" ("organization_id");
CREATE INDEX "index_events_on_properties" ON "events" USING gin ("properties" jsonb_path_ops);
CREATE INDEX "index_events_on_subscription_id_and_code_and_timestamp" ON "events" ("subscription_id", "code", "timestamp") WHERE (deleted_at IS NULL);
CREATE INDEX "index_events_on_subscription_id" ON "events" ("subscription_id");

CREATE TABLE "fees" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "invoice_id" uuid,
    "charge_id" uuid,
    "subscription_id" uuid,
    "amount_cents" bigint NOT NULL,
    "amount_currency" character varying NOT NULL,
    "taxes_amount_cents" bigint NOT NULL,
    "taxes_rate" double precision DEFAULT 0.0 NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "units" numeric DEFAULT 0.0 NOT NULL,
    "applied_add_on_id" uuid,
    "properties" jsonb DEFAULT '{}' NOT NULL,
    "fee_type" integer,
    "invoiceable_type" character varying,
    "invoiceable_id" uuid,
    "events_count" integer,
    "group_id" uuid,
    "pay_in_advance_event_id" uuid,
    "payment_status" integer DEFAULT 0 NOT NULL,
    "succeeded_at" timestamp(6) without time zone,
    "failed_at" timestamp(6) without time zone,
    "refunded_at" timestamp(6) without time zone,
    "true_up_parent_fee_id" uuid,
    "add_on_id" uuid,
    "description" character varying,
    "unit_amount_cents" bigint DEFAULT 0 NOT NULL,
    "pay_in_advance" boolean DEFAULT false NOT NULL,
    "precise_coupons_amount_cents" numeric(30,5) DEFAULT 0.0 NOT NULL,
    "total_aggregated_units" numeric,
    "invoice_display_name" character varying,
    "precise_unit_amount" numeric(30,15) DEFAULT 0.0 NOT NULL,
    "amount_details" jsonb DEFAULT '{}' NOT NULL,
    "charge_filter_id" uuid,
    "grouped_by" jsonb DEFAULT '{}' NOT NULL,
    "pay_in_advance_event_transaction_id" character varying,
    "deleted_at" timestamp(6) without time zone,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_fees_on_add_on_id" ON "fees" ("add_on_id");
CREATE INDEX "index_fees_on_applied_add_on_id" ON "fees" ("applied_add_on_id");
CREATE INDEX "index_fees_on_charge_filter_id" ON "fees" ("charge_filter_id");
CREATE INDEX "index_fees_on_charge_id" ON "fees" ("charge_id");
CREATE INDEX "index_fees_on_deleted_at" ON "fees" ("deleted_at");
CREATE INDEX "index_fees_on_group_id" ON "fees" ("group_id");
CREATE INDEX "index_fees_on_invoice_id" ON "fees" ("invoice_id");
CREATE INDEX "index_fees_on_invoiceable" ON "fees" ("invoiceable_type", "invoiceable_id");
CREATE INDEX "index_fees_on_subscription_id" ON "fees" ("subscription_id");
CREATE INDEX "index_fees_on_true_up_parent_fee_id" ON "fees" ("true_up_parent_fee_id");

CREATE TABLE "fees_taxes" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "fee_id" uuid NOT NULL,
    "tax_id" uuid NOT NULL,
    "tax_description" character varying,
    "tax_code" character varying NOT NULL,
    "tax_name" character varying NOT NULL,
    "tax_rate" double precision DEFAULT 0.0 NOT NULL,
    "amount_cents" bigint DEFAULT 0 NOT NULL,
    "amount_currency" character varying NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "index_fees_taxes_on_fee_id_and_tax_id" ON "fees_taxes" ("fee_id", "tax_id") WHERE (created_at >= '2023-09-12 00:00:00'::timestamp without time zone);
CREATE INDEX "index_fees_taxes_on_fee_id" ON "fees_taxes" ("fee_id");
CREATE INDEX "index_fees_taxes_on_tax_id" ON "fees_taxes" ("tax_id");

CREATE TABLE "group_properties" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "charge_id" uuid NOT NULL,
    "group_id" uuid NOT NULL,
    "values" jsonb DEFAULT '{}' NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "deleted_at" timestamp(6) without time zone,
    "invoice_display_name" character varying,
    PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "index_group_properties_on_charge_id_and_group_id" ON "group_properties" ("charge_id", "group_id");
CREATE INDEX "index_group_properties_on_charge_id" ON "group_properties" ("charge_id");
CREATE INDEX "index_group_properties_on_deleted_at" ON "group_properties" ("deleted_at");
CREATE INDEX "index_group_properties_on_group_id" ON "group_properties" ("group_id");

CREATE TABLE "groups" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "billable_metric_id" uuid NOT NULL,
    "parent_group_id" uuid,
    "key" character varying NOT NULL,
    "value" character varying NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "deleted_at" timestamp(6) without time zone,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_groups_on_billable_metric_id_and_parent_group_id" ON "groups" ("billable_metric_id", "parent_group_id");
CREATE INDEX "index_groups_on_billable_metric_id" ON "groups" ("billable_metric_id");
CREATE INDEX "index_groups_on_deleted_at" ON "groups" ("deleted_at");
CREATE INDEX "index_groups_on_parent_group_id" ON "groups" ("parent_group_id");

CREATE TABLE "integration_collection_mappings" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "integration_id" uuid NOT NULL,
    "mapping_type" integer NOT NULL,
    "type" character varying NOT NULL,
    "settings" jsonb DEFAULT '{}' NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_integration_collection_mappings_on_integration_id" ON "integration_collection_mappings" ("integration_id");
CREATE UNIQUE INDEX "index_int_collection_mappings_on_mapping_type_and_int_id" ON "integration_collection_mappings" ("mapping_type", "integration_id");

CREATE TABLE "integration_customers" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "integration_id" uuid NOT NULL,
    "customer_id" uuid NOT NULL,
    "external_customer_id" character varying,
    "type" character varying NOT NULL,
    "settings" jsonb DEFAULT '{}' NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "index_integration_customers_on_customer_id_and_type" ON "integration_customers" ("customer_id", "type");
CREATE INDEX "index_integration_customers_on_customer_id" ON "integration_customers" ("customer_id");
CREATE INDEX "index_integration_customers_on_external_customer_id" ON "integration_customers" ("external_customer_id");
CREATE INDEX "index_integration_customers_on_integration_id" ON "integration_customers" ("integration_id");

CREATE TABLE "integration_items" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "integration_id" uuid NOT NULL,
    "item_type" integer NOT NULL,
    "external_id" character varying NOT NULL,
    "external_account_code" character varying,
    "external_name" character varying,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "index_int_items_on_external_id_and_int_id_and_type" ON "integration_items" ("external_id", "integration_id", "item_type");
CREATE INDEX "index_integration_items_on_integration_id" ON "integration_items" ("integration_id");

CREATE TABLE "integration_mappings" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "integration_id" uuid NOT NULL,
    "mappable_type" character varying NOT NULL,
    "mappable_id" uuid NOT NULL,
    "type" character varying NOT NULL,
    "settings" jsonb DEFAULT '{}' NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_integration_mappings_on_integration_id" ON "integration_mappings" ("integration_id");
CREATE INDEX "index_integration_mappings_on_mappable" ON "integration_mappings" ("mappable_type", "mappable_id");

CREATE TABLE "integration_resources" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "syncable_type" character varying NOT NULL,
    "syncable_id" uuid NOT NULL,
    "external_id" character varying,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "integration_id" uuid,
    "resource_type" integer DEFAULT 0 NOT NULL,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_integration_resources_on_integration_id" ON "integration_resources" ("integration_id");
CREATE INDEX "index_integration_resources_on_syncable" ON "integration_resources" ("syncable_type", "syncable_id");

CREATE TABLE "integrations" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "organization_id" uuid NOT NULL,
    "name" character varying NOT NULL,
    "code" character varying NOT NULL,
    "type" character varying NOT NULL,
    "secrets" character varying,
    "settings" jsonb DEFAULT '{}' NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "index_integrations_on_code_and_organization_id" ON "integrations" ("code", "organization_id");
CREATE INDEX "index_integrations_on_organization_id" ON "integrations" ("organization_id");

CREATE TABLE "invites" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "organization_id" uuid NOT NULL,
    "membership_id" uuid,
    "email" character varying NOT NULL,
    "token" character varying NOT NULL,
    "status" integer DEFAULT 0 NOT NULL,
    "accepted_at" timestamp(6) without time zone,
    "revoked_at" timestamp(6) without time zone,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "role" integer DEFAULT 0 NOT NULL,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_invites_on_membership_id" ON "invites" ("membership_id");
CREATE INDEX "index_invites_on_organization_id" ON "invites" ("organization_id");
CREATE UNIQUE INDEX "index_invites_on_token" ON "invites" ("token");

CREATE TABLE "invoice_metadata" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "invoice_id" uuid NOT NULL,
    "key" character varying NOT NULL,
    "value" character varying NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "index_invoice_metadata_on_invoice_id_and_key" ON "invoice_metadata" ("invoice_id", "key");
CREATE INDEX "index_invoice_metadata_on_invoice_id" ON "invoice_metadata" ("invoice_id");

CREATE TABLE "invoice_subscriptions" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "invoice_id" uuid NOT NULL,
    "subscription_id" uuid NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "recurring" boolean,
    "timestamp" timestamp(6) without time zone,
    "from_datetime" timestamp(6) without time zone,
    "to_datetime" timestamp(6) without time zone,
    "charges_from_datetime" timestamp(6) without time zone,
    "charges_to_datetime" timestamp(6) without time zone,
    "invoicing_reason" subscription_invoicing_reason,
    PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "index_invoice_subscriptions_on_invoice_id_and_subscription_id" ON "invoice_subscriptions" ("invoice_id", "subscription_id") WHERE (created_at >= '2023-11-23 00:00:00'::timestamp without time zone);
CREATE INDEX "index_invoice_subscriptions_on_invoice_id" ON "invoice_subscriptions" ("invoice_id");
CREATE UNIQUE INDEX "index_invoice_subscriptions_on_charges_from_and_to_datetime" ON "invoice_subscriptions" ("subscription_id", "charges_from_datetime", "charges_to_datetime") WHERE ((created_at >= '2023-06-09 00:00:00'::timestamp without time zone) AND (recurring IS TRUE));
CREATE INDEX "index_invoice_subscriptions_boundaries" ON "invoice_subscriptions" ("subscription_id", "from_datetime", "to_datetime");
CREATE UNIQUE INDEX "index_unique_starting_subscription_invoice" ON "invoice_subscriptions" ("subscription_id", "invoicing_reason") WHERE (invoicing_reason = 'subscription_starting'::subscription_invoicing_reason);
CREATE UNIQUE INDEX "index_unique_terminating_subscription_invoice" ON "invoice_subscriptions" ("subscription_id", "invoicing_reason") WHERE (invoicing_reason = 'subscription_terminating'::subscription_invoicing_reason);
CREATE INDEX "index_invoice_subscriptions_on_subscription_id" ON "invoice_subscriptions" ("subscription_id");

CREATE TABLE "invoices" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "issuing_date" date,
    "taxes_amount_cents" bigint DEFAULT 0 NOT NULL,
    "total_amount_cents" bigint DEFAULT 0 NOT NULL,
    "invoice_type" integer DEFAULT 0 NOT NULL,
    "payment_status" integer DEFAULT 0 NOT NULL,
    "number" character varying DEFAULT '' NOT NULL,
    "sequential_id" integer,
    "file" character varying,
    "customer_id" uuid,
    "taxes_rate" double precision DEFAULT 0.0 NOT NULL,
    "status" integer DEFAULT 1 NOT NULL,
    "timezone" character varying DEFAULT 'UTC' NOT NULL,
    "payment_attempts" integer DEFAULT 0 NOT NULL,
    "ready_for_payment_processing" boolean DEFAULT true NOT NULL,
    "organization_id" uuid NOT NULL,
    "version_number" integer DEFAULT 4 NOT NULL,
    "currency" character varying,
    "fees_amount_cents" bigint DEFAULT 0 NOT NULL,
    "coupons_amount_cents" bigint DEFAULT 0 NOT NULL,
    "credit_notes_amount_cents" bigint DEFAULT 0 NOT NULL,
    "prepaid_credit_amount_cents" bigint DEFAULT 0 NOT NULL,
    "sub_total_excluding_taxes_amount_cents" bigint DEFAULT 0 NOT NULL,
    "sub_total_including_taxes_amount_cents" bigint DEFAULT 0 NOT NULL,
    "payment_due_date" date,
    "net_payment_term" integer DEFAULT 0 NOT NULL,
    "voided_at" timestamp(6) without time zone,
    "organization_sequential_id" integer DEFAULT 0 NOT NULL,
    "ready_to_be_refreshed" boolean DEFAULT false NOT NULL,
    "payment_dispute_lost_at" timestamp(6) without time zone,
    "skip_charges" boolean DEFAULT false NOT NULL,
    "payment_overdue" boolean DEFAULT false,
    PRIMARY KEY ("id"),
    CONSTRAINT "check_organizations_on_net_payment_term" CHECK (net_payment_term >= 0)
);
CREATE UNIQUE INDEX "index_invoices_on_customer_id_and_sequential_id" ON "invoices" ("customer_id", "sequential_id");
CREATE INDEX "index_invoices_on_customer_id" ON "invoices" ("customer_id");
CREATE INDEX "index_invoices_on_number" ON "invoices" ("number");
CREATE INDEX "index_invoices_on_organization_id" ON "invoices" ("organization_id");
CREATE INDEX "index_invoices_on_payment_overdue" ON "invoices" ("payment_overdue");
CREATE INDEX "index_invoices_on_sequential_id" ON "invoices" ("sequential_id");

CREATE TABLE "invoices_taxes" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "invoice_id" uuid NOT NULL,
    "tax_id" uuid NOT NULL,
    "tax_description" character varying,
    "tax_code" character varying NOT NULL,
    "tax_name" character varying NOT NULL,
    "tax_rate" double precision DEFAULT 0.0 NOT NULL,
    "amount_cents" bigint DEFAULT 0 NOT NULL,
    "amount_currency" character varying NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "fees_amount_cents" bigint DEFAULT 0 NOT NULL,
    PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "index_invoices_taxes_on_invoice_id_and_tax_id" ON "invoices_taxes" ("invoice_id", "tax_id") WHERE (created_at >= '2023-09-12 00:00:00'::timestamp without time zone);
CREATE INDEX "index_invoices_taxes_on_invoice_id" ON "invoices_taxes" ("invoice_id");
CREATE INDEX "index_invoices_taxes_on_tax_id" ON "invoices_taxes" ("tax_id");

CREATE TABLE "memberships" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "organization_id" uuid NOT NULL,
    "user_id" uuid NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "role" integer DEFAULT 0 NOT NULL,
    "status" integer DEFAULT 0 NOT NULL,
    "revoked_at" timestamp(6) without time zone,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_memberships_on_organization_id" ON "memberships" ("organization_id");
CREATE UNIQUE INDEX "index_memberships_on_user_id_and_organization_id" ON "memberships" ("user_id", "organization_id") WHERE (revoked_at IS NULL);
CREATE INDEX "index_memberships_on_user_id" ON "memberships" ("user_id");

CREATE TABLE "organizations" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "name" character varying NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "api_key" character varying,
    "webhook_url" character varying,
    "vat_rate" double precision DEFAULT 0.0 NOT NULL,
    "country" character varying,
    "address_line1" character varying,
    "address_line2" character varying,
    "state" character varying,
    "zipcode" character varying,
    "email" character varying,
    "city" character varying,
    "logo" character varying,
    "legal_name" character varying,
    "legal_number" character varying,
    "invoice_footer" text,
    "invoice_grace_period" integer DEFAULT 0 NOT NULL,
    "timezone" character varying DEFAULT 'UTC' NOT NULL,
    "document_locale" character varying DEFAULT 'en' NOT NULL,
    "email_settings" character varying[] DEFAULT '{}' NOT NULL,
    "tax_identification_number" character varying,
    "net_payment_term" integer DEFAULT 0 NOT NULL,
    "default_currency" character varying DEFAULT 'USD' NOT NULL,
    "document_numbering" integer DEFAULT 0 NOT NULL,
    "document_number_prefix" character varying,
    "eu_tax_management" boolean DEFAULT false,
    "clickhouse_aggregation" boolean DEFAULT false NOT NULL,
    "premium_integrations" character varying[] DEFAULT '{}' NOT NULL,
    "custom_aggregation" boolean DEFAULT false,
    PRIMARY KEY ("id"),
    CONSTRAINT "check_organizations_on_invoice_grace_period" CHECK (invoice_grace_period >= 0),
    CONSTRAINT "check_organizations_on_net_payment_term" CHECK (net_payment_term >= 0)
);
CREATE UNIQUE INDEX "index_organizations_on_api_key" ON "organizations" ("api_key");

CREATE TABLE "password_resets" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "user_id" uuid NOT NULL,
    "token" character varying NOT NULL,
    "expire_at" timestamp(6) without time zone NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "index_password_resets_on_token" ON "password_resets" ("token");
CREATE INDEX "index_password_resets_on_user_id" ON "password_resets" ("user_id");

CREATE TABLE "payment_provider_customers" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "customer_id" uuid NOT NULL,
    "payment_provider_id" uuid,
    "type" character varying NOT NULL,
    "provider_customer_id" character varying,
    "settings" jsonb DEFAULT '{}' NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "index_payment_provider_customers_on_customer_id_and_type" ON "payment_provider_customers" ("customer_id", "type");
CREATE INDEX "index_payment_provider_customers_on_payment_provider_id" ON "payment_provider_customers" ("payment_provider_id");
CREATE INDEX "index_payment_provider_customers_on_provider_customer_id" ON "payment_provider_customers" ("provider_customer_id");

CREATE TABLE "payment_providers" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "organization_id" uuid NOT NULL,
    "type" character varying NOT NULL,
    "secrets" character varying,
    "settings" jsonb DEFAULT '{}' NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "code" character varying NOT NULL,
    "name" character varying NOT NULL,
    PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "index_payment_providers_on_code_and_organization_id" ON "payment_providers" ("code", "organization_id");
CREATE INDEX "index_payment_providers_on_organization_id" ON "payment_providers" ("organization_id");

CREATE TABLE "payments" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "invoice_id" uuid NOT NULL,
    "payment_provider_id" uuid,
    "payment_provider_customer_id" uuid,
    "amount_cents" bigint NOT NULL,
    "amount_currency" character varying NOT NULL,
    "provider_payment_id" character varying NOT NULL,
    "status" character varying NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_payments_on_invoice_id" ON "payments" ("invoice_id");
CREATE INDEX "index_payments_on_payment_provider_customer_id" ON "payments" ("payment_provider_customer_id");
CREATE INDEX "index_payments_on_payment_provider_id" ON "payments" ("payment_provider_id");

CREATE TABLE "plans" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "organization_id" uuid NOT NULL,
    "name" character varying NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "code" character varying NOT NULL,
    "interval" integer NOT NULL,
    "description" character varying,
    "amount_cents" bigint NOT NULL,
    "amount_currency" character varying NOT NULL,
    "trial_period" double precision,
    "pay_in_advance" boolean DEFAULT false NOT NULL,
    "bill_charges_monthly" boolean,
    "parent_id" uuid,
    "deleted_at" timestamp(6) without time zone,
    "pending_deletion" boolean DEFAULT false NOT NULL,
    "invoice_display_name" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_plans_on_created_at" ON "plans" ("created_at");
CREATE INDEX "index_plans_on_deleted_at" ON "plans" ("deleted_at");
CREATE UNIQUE INDEX "index_plans_on_organization_id_and_code" ON "plans" ("organization_id", "code") WHERE ((deleted_at IS NULL) AND (parent_id IS NULL));
CREATE INDEX "index_plans_on_organization_id" ON "plans" ("organization_id");
CREATE INDEX "index_plans_on_parent_id" ON "plans" ("parent_id");

CREATE TABLE "plans_taxes" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "plan_id" uuid NOT NULL,
    "tax_id" uuid NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "index_plans_taxes_on_plan_id_and_tax_id" ON "plans_taxes" ("plan_id", "tax_id");
CREATE INDEX "index_plans_taxes_on_plan_id" ON "plans_taxes" ("plan_id");
CREATE INDEX "index_plans_taxes_on_tax_id" ON "plans_taxes" ("tax_id");

CREATE TABLE "quantified_events" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "external_subscription_id" character varying NOT NULL,
    "external_id" character varying,
    "added_at" timestamp(6) without time zone NOT NULL,
    "removed_at" timestamp(6) without time zone,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "billable_metric_id" uuid,
    "properties" jsonb DEFAULT '{}' NOT NULL,
    "deleted_at" timestamp(6) without time zone,
    "group_id" uuid,
    "organization_id" uuid NOT NULL,
    "grouped_by" jsonb DEFAULT '{}' NOT NULL,
    "charge_filter_id" uuid,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_quantified_events_on_billable_metric_id" ON "quantified_events" ("billable_metric_id");
CREATE INDEX "index_quantified_events_on_charge_filter_id" ON "quantified_events" ("charge_filter_id");
CREATE INDEX "index_quantified_events_on_deleted_at" ON "quantified_events" ("deleted_at");
CREATE INDEX "index_quantified_events_on_external_id" ON "quantified_events" ("external_id");
CREATE INDEX "index_quantified_events_on_group_id" ON "quantified_events" ("group_id");
CREATE INDEX "index_search_quantified_events" ON "quantified_events" ("organization_id", "external_subscription_id", "billable_metric_id");
CREATE INDEX "index_quantified_events_on_organization_id" ON "quantified_events" ("organization_id");

CREATE TABLE "recurring_transaction_rules" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "wallet_id" uuid NOT NULL,
    "trigger" integer DEFAULT 0 NOT NULL,
    "paid_credits" numeric(30,5) DEFAULT 0.0 NOT NULL,
    "granted_credits" numeric(30,5) DEFAULT 0.0 NOT NULL,
    "threshold_credits" numeric(30,5) DEFAULT 0.0,
    "interval" integer DEFAULT 0,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "method" integer DEFAULT 0 NOT NULL,
    "target_ongoing_balance" numeric(30,5),
    "started_at" timestamp(6) without time zone,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_recurring_transaction_rules_on_started_at" ON "recurring_transaction_rules" ("started_at");
CREATE INDEX "index_recurring_transaction_rules_on_wallet_id" ON "recurring_transaction_rules" ("wallet_id");

CREATE TABLE "refunds" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "payment_id" uuid NOT NULL,
    "credit_note_id" uuid NOT NULL,
    "payment_provider_id" uuid,
    "payment_provider_customer_id" uuid NOT NULL,
    "amount_cents" bigint DEFAULT 0 NOT NULL,
    "amount_currency" character varying NOT NULL,
    "status" character varying NOT NULL,
    "provider_refund_id" character varying NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_refunds_on_credit_note_id" ON "refunds" ("credit_note_id");
CREATE INDEX "index_refunds_on_payment_id" ON "refunds" ("payment_id");
CREATE INDEX "index_refunds_on_payment_provider_customer_id" ON "refunds" ("payment_provider_customer_id");
CREATE INDEX "index_refunds_on_payment_provider_id" ON "refunds" ("payment_provider_id");

CREATE TABLE "subscriptions" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "customer_id" uuid NOT NULL,
    "plan_id" uuid NOT NULL,
    "status" integer NOT NULL,
    "canceled_at" timestamp without time zone,
    "terminated_at" timestamp without time zone,
    "started_at" timestamp without time zone,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "previous_subscription_id" uuid,
    "name" character varying,
    "external_id" character varying NOT NULL,
    "billing_time" integer DEFAULT 0 NOT NULL,
    "subscription_at" timestamp(6) without time zone,
    "ending_at" timestamp(6) without time zone,
    "trial_ended_at" timestamp(6) without time zone,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_subscriptions_on_customer_id" ON "subscriptions" ("customer_id");
CREATE INDEX "index_subscriptions_on_external_id" ON "subscriptions" ("external_id");
CREATE INDEX "index_subscriptions_on_plan_id" ON "subscriptions" ("plan_id");
CREATE INDEX "index_subscriptions_on_started_at_and_ending_at" ON "subscriptions" ("started_at", "ending_at");
CREATE INDEX "index_subscriptions_on_started_at" ON "subscriptions" ("started_at");
CREATE INDEX "index_subscriptions_on_status" ON "subscriptions" ("status");

CREATE TABLE "taxes" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "organization_id" uuid NOT NULL,
    "description" character varying,
    "code" character varying NOT NULL,
    "name" character varying NOT NULL,
    "rate" double precision DEFAULT 0.0 NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "applied_to_organization" boolean DEFAULT false NOT NULL,
    "auto_generated" boolean DEFAULT false NOT NULL,
    PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "index_taxes_on_code_and_organization_id" ON "taxes" ("code", "organization_id");
CREATE INDEX "index_taxes_on_organization_id" ON "taxes" ("organization_id");

CREATE TABLE "users" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "email" character varying,
    "password_digest" character varying,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    PRIMARY KEY ("id")
);

CREATE TABLE "versions" (
    "id" bigserial NOT NULL,
    "item_type" character varying NOT NULL,
    "item_id" character varying NOT NULL,
    "event" character varying NOT NULL,
    "whodunnit" character varying,
    "object" jsonb,
    "object_changes" jsonb,
    "created_at" timestamp(6) without time zone,
    "lago_version" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_versions_on_item_type_and_item_id" ON "versions" ("item_type", "item_id");

CREATE TABLE "wallet_transactions" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "wallet_id" uuid NOT NULL,
    "transaction_type" integer NOT NULL,
    "status" integer NOT NULL,
    "amount" numeric(30,5) DEFAULT 0.0 NOT NULL,
    "credit_amount" numeric(30,5) DEFAULT 0.0 NOT NULL,
    "settled_at" timestamp without time zone,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "invoice_id" uuid,
    "source" integer DEFAULT 0 NOT NULL,
    "transaction_status" integer DEFAULT 0 NOT NULL,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_wallet_transactions_on_invoice_id" ON "wallet_transactions" ("invoice_id");
CREATE INDEX "index_wallet_transactions_on_wallet_id" ON "wallet_transactions" ("wallet_id");

CREATE TABLE "wallets" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "customer_id" uuid NOT NULL,
    "status" integer NOT NULL,
    "name" character varying,
    "rate_amount" numeric(30,5) DEFAULT 0.0 NOT NULL,
    "credits_balance" numeric(30,5) DEFAULT 0.0 NOT NULL,
    "consumed_credits" numeric(30,5) DEFAULT 0.0 NOT NULL,
    "expiration_at" timestamp without time zone,
    "last_balance_sync_at" timestamp without time zone,
    "last_consumed_credit_at" timestamp without time zone,
    "terminated_at" timestamp without time zone,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "balance_cents" bigint DEFAULT 0 NOT NULL,
    "balance_currency" character varying NOT NULL,
    "consumed_amount_cents" bigint DEFAULT 0 NOT NULL,
    "consumed_amount_currency" character varying NOT NULL,
    "ongoing_balance_cents" bigint DEFAULT 0 NOT NULL,
    "ongoing_usage_balance_cents" bigint DEFAULT 0 NOT NULL,
    "credits_ongoing_balance" numeric(30,5) DEFAULT 0.0 NOT NULL,
    "credits_ongoing_usage_balance" numeric(30,5) DEFAULT 0.0 NOT NULL,
    "depleted_ongoing_balance" boolean DEFAULT false NOT NULL,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_wallets_on_customer_id" ON "wallets" ("customer_id");

CREATE TABLE "webhook_endpoints" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "organization_id" uuid NOT NULL,
    "webhook_url" character varying NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "signature_algo" integer DEFAULT 0 NOT NULL,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_webhook_endpoints_on_organization_id" ON "webhook_endpoints" ("organization_id");
CREATE UNIQUE INDEX "index_webhook_endpoints_on_webhook_url_and_organization_id" ON "webhook_endpoints" ("webhook_url", "organization_id");

CREATE TABLE "webhooks" (
    "id" uuid DEFAULT gen_random_uuid() NOT NULL,
    "object_id" uuid,
    "object_type" character varying,
    "status" integer DEFAULT 0 NOT NULL,
    "retries" integer DEFAULT 0 NOT NULL,
    "http_status" integer,
    "endpoint" character varying,
    "webhook_type" character varying,
    "payload" json,
    "response" json,
    "last_retried_at" timestamp without time zone,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "webhook_endpoint_id" uuid,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_webhooks_on_webhook_endpoint_id" ON "webhooks" ("webhook_endpoint_id");

ALTER TABLE ONLY "active_storage_attachments" ADD CONSTRAINT "fk_rails_c3b3935057" FOREIGN KEY ("blob_id") REFERENCES "active_storage_blobs"("id");
ALTER TABLE ONLY "active_storage_variant_records" ADD CONSTRAINT "fk_rails_993965df05" FOREIGN KEY ("blob_id") REFERENCES "active_storage_blobs"("id");
ALTER TABLE ONLY "add_ons" ADD CONSTRAINT "fk_rails_81e3b6abba" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id");
ALTER TABLE ONLY "add_ons_taxes" ADD CONSTRAINT "fk_rails_08dfe87131" FOREIGN KEY ("add_on_id") REFERENCES "add_ons"("id");
ALTER TABLE ONLY "add_ons_taxes" ADD CONSTRAINT "fk_rails_89e1020aca" FOREIGN KEY ("tax_id") REFERENCES "taxes"("id");
ALTER TABLE ONLY "adjusted_fees" ADD CONSTRAINT "fk_rails_7b324610ad" FOREIGN KEY ("charge_id") REFERENCES "charges"("id");
ALTER TABLE ONLY "adjusted_fees" ADD CONSTRAINT "fk_rails_2561c00887" FOREIGN KEY ("fee_id") REFERENCES "fees"("id");
ALTER TABLE ONLY "adjusted_fees" ADD CONSTRAINT "fk_rails_6d465e6b10" FOREIGN KEY ("group_id") REFERENCES "groups"("id");
ALTER TABLE ONLY "adjusted_fees" ADD CONSTRAINT "fk_rails_98980b326b" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id");
ALTER TABLE ONLY "adjusted_fees" ADD CONSTRAINT "fk_rails_fd399a23d3" FOREIGN KEY ("subscription_id") REFERENCES "subscriptions"("id");
ALTER TABLE ONLY "applied_add_ons" ADD CONSTRAINT "fk_rails_9c8e276cc0" FOREIGN KEY ("add_on_id") REFERENCES "add_ons"("id");
ALTER TABLE ONLY "applied_add_ons" ADD CONSTRAINT "fk_rails_7995206484" FOREIGN KEY ("customer_id") REFERENCES "customers"("id");
ALTER TABLE ONLY "billable_metric_filters" ADD CONSTRAINT "fk_rails_7a0704ce72" FOREIGN KEY ("billable_metric_id") REFERENCES "billable_metrics"("id");
ALTER TABLE ONLY "billable_metrics" ADD CONSTRAINT "fk_rails_7e8a2f26e5" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id");
ALTER TABLE ONLY "cached_aggregations" ADD CONSTRAINT "fk_rails_21eb389927" FOREIGN KEY ("group_id") REFERENCES "groups"("id");
ALTER TABLE ONLY "charge_filter_values" ADD CONSTRAINT "fk_rails_bf661ef73d" FOREIGN KEY ("billable_metric_filter_id") REFERENCES "billable_metric_filters"("id");
ALTER TABLE ONLY "charge_filter_values" ADD CONSTRAINT "fk_rails_7da558cadc" FOREIGN KEY ("charge_filter_id") REFERENCES "charge_filters"("id");
ALTER TABLE ONLY "charge_filters" ADD CONSTRAINT "fk_rails_27b55b8574" FOREIGN KEY ("charge_id") REFERENCES "charges"("id");
ALTER TABLE ONLY "charges" ADD CONSTRAINT "fk_rails_a710519346" FOREIGN KEY ("billable_metric_id") REFERENCES "billable_metrics"("id");
ALTER TABLE ONLY "charges" ADD CONSTRAINT "fk_rails_7eb0484711" FOREIGN KEY ("plan_id") REFERENCES "plans"("id");
ALTER TABLE ONLY "charges_taxes" ADD CONSTRAINT "fk_rails_ac146c9541" FOREIGN KEY ("charge_id") REFERENCES "charges"("id");
ALTER TABLE ONLY "charges_taxes" ADD CONSTRAINT "fk_rails_3ff27d7624" FOREIGN KEY ("tax_id") REFERENCES "taxes"("id");
ALTER TABLE ONLY "commitments" ADD CONSTRAINT "fk_rails_51ac39a0c6" FOREIGN KEY ("plan_id") REFERENCES "plans"("id");
ALTER TABLE ONLY "commitments_taxes" ADD CONSTRAINT "fk_rails_8fa6f0d920" FOREIGN KEY ("commitment_id") REFERENCES "commitments"("id");
ALTER TABLE ONLY "commitments_taxes" ADD CONSTRAINT "fk_rails_aaa12f7d3e" FOREIGN KEY ("tax_id") REFERENCES "taxes"("id");
ALTER TABLE ONLY "coupon_targets" ADD CONSTRAINT "fk_rails_8872c07e0d" FOREIGN KEY ("billable_metric_id") REFERENCES "billable_metrics"("id");
ALTER TABLE ONLY "coupon_targets" ADD CONSTRAINT "fk_rails_d1dc5814e9" FOREIGN KEY ("coupon_id") REFERENCES "coupons"("id");
ALTER TABLE ONLY "coupon_targets" ADD CONSTRAINT "fk_rails_5fce5ea2b5" FOREIGN KEY ("plan_id") REFERENCES "plans"("id");
ALTER TABLE ONLY "credit_note_items" ADD CONSTRAINT "fk_rails_9f22076477" FOREIGN KEY ("credit_note_id") REFERENCES "credit_notes"("id");
ALTER TABLE ONLY "credit_note_items" ADD CONSTRAINT "fk_rails_dea748e529" FOREIGN KEY ("fee_id") REFERENCES "fees"("id");
ALTER TABLE ONLY "credit_notes" ADD CONSTRAINT "fk_rails_5cb67dee79" FOREIGN KEY ("customer_id") REFERENCES "customers"("id");
ALTER TABLE ONLY "credit_notes" ADD CONSTRAINT "fk_rails_4117574b51" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id");
ALTER TABLE ONLY "credit_notes_taxes" ADD CONSTRAINT "fk_rails_25232a0ec3" FOREIGN KEY ("credit_note_id") REFERENCES "credit_notes"("id");
ALTER TABLE ONLY "credit_notes_taxes" ADD CONSTRAINT "fk_rails_626209b8d2" FOREIGN KEY ("tax_id") REFERENCES "taxes"("id");
ALTER TABLE ONLY "credits" ADD CONSTRAINT "fk_rails_1db0057d9b" FOREIGN KEY ("applied_coupon_id") REFERENCES "applied_coupons"("id");
ALTER TABLE ONLY "credits" ADD CONSTRAINT "fk_rails_8ca834cd4a" FOREIGN KEY ("credit_note_id") REFERENCES "credit_notes"("id");
ALTER TABLE ONLY "credits" ADD CONSTRAINT "fk_rails_521b5240ed" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id");
ALTER TABLE ONLY "customer_metadata" ADD CONSTRAINT "fk_rails_195153290d" FOREIGN KEY ("customer_id") REFERENCES "customers"("id");
ALTER TABLE ONLY "customers" ADD CONSTRAINT "fk_rails_58234c715e" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id");
ALTER TABLE ONLY "customers_taxes" ADD CONSTRAINT "fk_rails_3708a65be3" FOREIGN KEY ("customer_id") REFERENCES "customers"("id");
ALTER TABLE ONLY "customers_taxes" ADD CONSTRAINT "fk_rails_ef731e48be" FOREIGN KEY ("tax_id") REFERENCES "taxes"("id");
ALTER TABLE ONLY "data_exports" ADD CONSTRAINT "fk_rails_73d83e23b6" FOREIGN KEY ("membership_id") REFERENCES "memberships"("id");
ALTER TABLE ONLY "data_exports" ADD CONSTRAINT "fk_rails_5a43da571b" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id");
ALTER TABLE ONLY "fees" ADD CONSTRAINT "fk_rails_6023b3f2dd" FOREIGN KEY ("add_on_id") REFERENCES "add_ons"("id");
ALTER TABLE ONLY "fees" ADD CONSTRAINT "fk_rails_34ab152115" FOREIGN KEY ("applied_add_on_id") REFERENCES "applied_add_ons"("id");
ALTER TABLE ONLY "fees" ADD CONSTRAINT "fk_rails_085d1cc97b" FOREIGN KEY ("charge_id") REFERENCES "charges"("id");
ALTER TABLE ONLY "fees" ADD CONSTRAINT "fk_rails_38047eb662" FOREIGN KEY ("true_up_parent_fee_id") REFERENCES "fees"("id");
ALTER TABLE ONLY "fees" ADD CONSTRAINT "fk_rails_b50dc82c1e" FOREIGN KEY ("group_id") REFERENCES "groups"("id");
ALTER TABLE ONLY "fees" ADD CONSTRAINT "fk_rails_eaca9421be" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id");
ALTER TABLE ONLY "fees" ADD CONSTRAINT "fk_rails_2ea4db3a4c" FOREIGN KEY ("subscription_id") REFERENCES "subscriptions"("id");
ALTER TABLE ONLY "fees_taxes" ADD CONSTRAINT "fk_rails_745b4ca7dd" FOREIGN KEY ("fee_id") REFERENCES "fees"("id");
ALTER TABLE ONLY "fees_taxes" ADD CONSTRAINT "fk_rails_f98413d404" FOREIGN KEY ("tax_id") REFERENCES "taxes"("id");
ALTER TABLE ONLY "group_properties" ADD CONSTRAINT "fk_rails_3acf9e789c" FOREIGN KEY ("charge_id") REFERENCES "charges"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "group_properties" ADD CONSTRAINT "fk_rails_a2d2cb3819" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "groups" ADD CONSTRAINT "fk_rails_34b5ee1894" FOREIGN KEY ("billable_metric_id") REFERENCES "billable_metrics"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "groups" ADD CONSTRAINT "fk_rails_7886e1bc34" FOREIGN KEY ("parent_group_id") REFERENCES "groups"("id");
ALTER TABLE ONLY "integration_collection_mappings" ADD CONSTRAINT "fk_rails_3d568ff9de" FOREIGN KEY ("integration_id") REFERENCES "integrations"("id");
ALTER TABLE ONLY "integration_customers" ADD CONSTRAINT "fk_rails_0e464363cb" FOREIGN KEY ("customer_id") REFERENCES "customers"("id");
ALTER TABLE ONLY "integration_customers" ADD CONSTRAINT "fk_rails_ea80151038" FOREIGN KEY ("integration_id") REFERENCES "integrations"("id");
ALTER TABLE ONLY "integration_items" ADD CONSTRAINT "fk_rails_a9dc2ea536" FOREIGN KEY ("integration_id") REFERENCES "integrations"("id");
ALTER TABLE ONLY "integration_mappings" ADD CONSTRAINT "fk_rails_cc318ad1ff" FOREIGN KEY ("integration_id") REFERENCES "integrations"("id");
ALTER TABLE ONLY "integration_resources" ADD CONSTRAINT "fk_rails_67d4eb3c92" FOREIGN KEY ("integration_id") REFERENCES "integrations"("id");
ALTER TABLE ONLY "integrations" ADD CONSTRAINT "fk_rails_755d734f25" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id");
ALTER TABLE ONLY "invites" ADD CONSTRAINT "fk_rails_c71f4b2026" FOREIGN KEY ("membership_id") REFERENCES "memberships"("id");
ALTER TABLE ONLY "invites" ADD CONSTRAINT "fk_rails_dd342449a6" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id");
ALTER TABLE ONLY "invoice_metadata" ADD CONSTRAINT "fk_rails_8bb5b094c4" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id");
ALTER TABLE ONLY "invoice_subscriptions" ADD CONSTRAINT "fk_rails_88349fc20a" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id");
ALTER TABLE ONLY "invoice_subscriptions" ADD CONSTRAINT "fk_rails_90d93bd016" FOREIGN KEY ("subscription_id") REFERENCES "subscriptions"("id");
ALTER TABLE ONLY "invoices" ADD CONSTRAINT "fk_rails_0d349e632f" FOREIGN KEY ("customer_id") REFERENCES "customers"("id");
ALTER TABLE ONLY "invoices" ADD CONSTRAINT "fk_rails_3a303bf667" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id");
ALTER TABLE ONLY "invoices_taxes" ADD CONSTRAINT "fk_rails_22af6c6d28" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id");
ALTER TABLE ONLY "invoices_taxes" ADD CONSTRAINT "fk_rails_6e148ccbb1" FOREIGN KEY ("tax_id") REFERENCES "taxes"("id");
ALTER TABLE ONLY "memberships" ADD CONSTRAINT "fk_rails_64267aab58" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id");
ALTER TABLE ONLY "memberships" ADD CONSTRAINT "fk_rails_99326fb65d" FOREIGN KEY ("user_id") REFERENCES "users"("id");
ALTER TABLE ONLY "password_resets" ADD CONSTRAINT "fk_rails_526379cd99" FOREIGN KEY ("user_id") REFERENCES "users"("id");
ALTER TABLE ONLY "payment_provider_customers" ADD CONSTRAINT "fk_rails_86676be631" FOREIGN KEY ("customer_id") REFERENCES "customers"("id");
ALTER TABLE ONLY "payment_provider_customers" ADD CONSTRAINT "fk_rails_50d46d3679" FOREIGN KEY ("payment_provider_id") REFERENCES "payment_providers"("id");
ALTER TABLE ONLY "payment_providers" ADD CONSTRAINT "fk_rails_26be2f764d" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id");
ALTER TABLE ONLY "payments" ADD CONSTRAINT "fk_rails_62d18ea517" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id");
ALTER TABLE ONLY "payments" ADD CONSTRAINT "fk_rails_84f4587409" FOREIGN KEY ("payment_provider_id") REFERENCES "payment_providers"("id");
ALTER TABLE ONLY "plans" ADD CONSTRAINT "fk_rails_216ac8a975" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id");
ALTER TABLE ONLY "plans" ADD CONSTRAINT "fk_rails_cbf700aeb8" FOREIGN KEY ("parent_id") REFERENCES "plans"("id");
ALTER TABLE ONLY "plans_taxes" ADD CONSTRAINT "fk_rails_bacde7a063" FOREIGN KEY ("plan_id") REFERENCES "plans"("id");
ALTER TABLE ONLY "plans_taxes" ADD CONSTRAINT "fk_rails_9c704027e2" FOREIGN KEY ("tax_id") REFERENCES "taxes"("id");
ALTER TABLE ONLY "quantified_events" ADD CONSTRAINT "fk_rails_3926855f12" FOREIGN KEY ("group_id") REFERENCES "groups"("id");
ALTER TABLE ONLY "quantified_events" ADD CONSTRAINT "fk_rails_f510acb495" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id");
ALTER TABLE ONLY "recurring_transaction_rules" ADD CONSTRAINT "fk_rails_e8bac9c5bb" FOREIGN KEY ("wallet_id") REFERENCES "wallets"("id");
ALTER TABLE ONLY "refunds" ADD CONSTRAINT "fk_rails_3f7be5debc" FOREIGN KEY ("credit_note_id") REFERENCES "credit_notes"("id");
ALTER TABLE ONLY "refunds" ADD CONSTRAINT "fk_rails_75577c354e" FOREIGN KEY ("payment_provider_customer_id") REFERENCES "payment_provider_customers"("id");
ALTER TABLE ONLY "refunds" ADD CONSTRAINT "fk_rails_2dc6171f57" FOREIGN KEY ("payment_provider_id") REFERENCES "payment_providers"("id");
ALTER TABLE ONLY "refunds" ADD CONSTRAINT "fk_rails_25267b0e17" FOREIGN KEY ("payment_id") REFERENCES "payments"("id");
ALTER TABLE ONLY "subscriptions" ADD CONSTRAINT "fk_rails_66eb6b32c1" FOREIGN KEY ("customer_id") REFERENCES "customers"("id");
ALTER TABLE ONLY "subscriptions" ADD CONSTRAINT "fk_rails_63d3df128b" FOREIGN KEY ("plan_id") REFERENCES "plans"("id");
ALTER TABLE ONLY "taxes" ADD CONSTRAINT "fk_rails_65b48ef6bf" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id");
ALTER TABLE ONLY "wallet_transactions" ADD CONSTRAINT "fk_rails_01a4c0c7db" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id");
ALTER TABLE ONLY "wallet_transactions" ADD CONSTRAINT "fk_rails_d07bc24ce3" FOREIGN KEY ("wallet_id") REFERENCES "wallets"("id");
ALTER TABLE ONLY "wallets" ADD CONSTRAINT "fk_rails_2b35eef34b" FOREIGN KEY ("customer_id") REFERENCES "customers"("id");
ALTER TABLE ONLY "webhook_endpoints" ADD CONSTRAINT "fk_rails_21808fa528" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id");
ALTER TABLE ONLY "webhooks" ADD CONSTRAINT "fk_rails_20cc0de4c7" FOREIGN KEY ("webhook_endpoint_id") REFERENCES "webhook_endpoints"("id");
