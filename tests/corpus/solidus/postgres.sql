-- Solidus (solidusio/solidus-demo) db/schema.rb transcribed to SQL. See NOTES.md.
CREATE TABLE "active_storage_attachments" (
    "id" bigserial NOT NULL,
    "name" character varying NOT NULL,
    "record_type" character varying NOT NULL,
    "record_id" bigint NOT NULL,
    "blob_id" bigint NOT NULL,
    "created_at" timestamp without time zone NOT NULL,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_active_storage_attachments_on_blob_id" ON "active_storage_attachments" ("blob_id");
CREATE UNIQUE INDEX "index_active_storage_attachments_uniqueness" ON "active_storage_attachments" ("record_type", "record_id", "name", "blob_id");

CREATE TABLE "active_storage_blobs" (
    "id" bigserial NOT NULL,
    "key" character varying NOT NULL,
    "filename" character varying NOT NULL,
    "content_type" character varying,
    "metadata" text,
    "byte_size" bigint NOT NULL,
    "checksum" character varying NOT NULL,
    "created_at" timestamp without time zone NOT NULL,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "index_active_storage_blobs_on_key" ON "active_storage_blobs" ("key");

CREATE TABLE "friendly_id_slugs" (
    "id" serial NOT NULL,
    "slug" character varying NOT NULL,
    "sluggable_id" integer NOT NULL,
    "sluggable_type" character varying(50),
    "scope" character varying,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "index_friendly_id_slugs_on_slug_and_sluggable_type_and_scope" ON "friendly_id_slugs" ("slug", "sluggable_type", "scope");
CREATE INDEX "index_friendly_id_slugs_on_slug_and_sluggable_type" ON "friendly_id_slugs" ("slug", "sluggable_type");
CREATE INDEX "index_friendly_id_slugs_on_sluggable_id" ON "friendly_id_slugs" ("sluggable_id");
CREATE INDEX "index_friendly_id_slugs_on_sluggable_type" ON "friendly_id_slugs" ("sluggable_type");

CREATE TABLE "spree_addresses" (
    "id" serial NOT NULL,
    "firstname" character varying,
    "lastname" character varying,
    "address1" character varying,
    "address2" character varying,
    "city" character varying,
    "zipcode" character varying,
    "phone" character varying,
    "state_name" character varying,
    "alternative_phone" character varying,
    "company" character varying,
    "state_id" integer,
    "country_id" integer,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_addresses_on_country_id" ON "spree_addresses" ("country_id");
CREATE INDEX "index_addresses_on_firstname" ON "spree_addresses" ("firstname");
CREATE INDEX "index_addresses_on_lastname" ON "spree_addresses" ("lastname");
CREATE INDEX "index_spree_addresses_on_state_id" ON "spree_addresses" ("state_id");

CREATE TABLE "spree_adjustment_reasons" (
    "id" serial NOT NULL,
    "name" character varying,
    "code" character varying,
    "active" boolean DEFAULT true,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_adjustment_reasons_on_active" ON "spree_adjustment_reasons" ("active");
CREATE INDEX "index_spree_adjustment_reasons_on_code" ON "spree_adjustment_reasons" ("code");

CREATE TABLE "spree_adjustments" (
    "id" serial NOT NULL,
    "source_type" character varying,
    "source_id" integer,
    "adjustable_type" character varying,
    "adjustable_id" integer NOT NULL,
    "amount" numeric(10,2),
    "label" character varying,
    "eligible" boolean DEFAULT true,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "order_id" integer NOT NULL,
    "included" boolean DEFAULT false,
    "promotion_code_id" integer,
    "adjustment_reason_id" integer,
    "finalized" boolean DEFAULT false NOT NULL,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_adjustments_on_adjustable_id_and_adjustable_type" ON "spree_adjustments" ("adjustable_id", "adjustable_type");
CREATE INDEX "index_adjustments_on_order_id" ON "spree_adjustments" ("adjustable_id");
CREATE INDEX "index_spree_adjustments_on_eligible" ON "spree_adjustments" ("eligible");
CREATE INDEX "index_spree_adjustments_on_order_id" ON "spree_adjustments" ("order_id");
CREATE INDEX "index_spree_adjustments_on_promotion_code_id" ON "spree_adjustments" ("promotion_code_id");
CREATE INDEX "index_spree_adjustments_on_source_id_and_source_type" ON "spree_adjustments" ("source_id", "source_type");

CREATE TABLE "spree_assets" (
    "id" serial NOT NULL,
    "viewable_type" character varying,
    "viewable_id" integer,
    "attachment_width" integer,
    "attachment_height" integer,
    "attachment_file_size" integer,
    "position" integer,
    "attachment_content_type" character varying,
    "attachment_file_name" character varying,
    "type" character varying(75),
    "attachment_updated_at" timestamp without time zone,
    "alt" text,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_assets_on_viewable_id" ON "spree_assets" ("viewable_id");
CREATE INDEX "index_assets_on_viewable_type_and_type" ON "spree_assets" ("viewable_type", "type");

CREATE TABLE "spree_calculators" (
    "id" serial NOT NULL,
    "type" character varying,
    "calculable_type" character varying,
    "calculable_id" integer,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "preferences" text,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_calculators_on_calculable_id_and_calculable_type" ON "spree_calculators" ("calculable_id", "calculable_type");
CREATE INDEX "index_spree_calculators_on_id_and_type" ON "spree_calculators" ("id", "type");

CREATE TABLE "spree_cartons" (
    "id" serial NOT NULL,
    "number" character varying,
    "external_number" character varying,
    "stock_location_id" integer,
    "address_id" integer,
    "shipping_method_id" integer,
    "tracking" character varying,
    "shipped_at" timestamp without time zone,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "imported_from_shipment_id" integer,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_cartons_on_external_number" ON "spree_cartons" ("external_number");
CREATE UNIQUE INDEX "index_spree_cartons_on_imported_from_shipment_id" ON "spree_cartons" ("imported_from_shipment_id");
CREATE UNIQUE INDEX "index_spree_cartons_on_number" ON "spree_cartons" ("number");
CREATE INDEX "index_spree_cartons_on_stock_location_id" ON "spree_cartons" ("stock_location_id");

CREATE TABLE "spree_countries" (
    "id" serial NOT NULL,
    "iso_name" character varying,
    "iso" character varying,
    "iso3" character varying,
    "name" character varying,
    "numcode" integer,
    "states_required" boolean DEFAULT false,
    "updated_at" timestamp(6) without time zone,
    "created_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_countries_on_iso" ON "spree_countries" ("iso");

CREATE TABLE "spree_credit_cards" (
    "id" serial NOT NULL,
    "month" character varying,
    "year" character varying,
    "cc_type" character varying,
    "last_digits" character varying,
    "gateway_customer_profile_id" character varying,
    "gateway_payment_profile_id" character varying,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "name" character varying,
    "user_id" integer,
    "payment_method_id" integer,
    "default" boolean DEFAULT false NOT NULL,
    "address_id" integer,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_credit_cards_on_payment_method_id" ON "spree_credit_cards" ("payment_method_id");
CREATE INDEX "index_spree_credit_cards_on_user_id" ON "spree_credit_cards" ("user_id");

CREATE TABLE "spree_customer_returns" (
    "id" serial NOT NULL,
    "number" character varying,
    "stock_location_id" integer,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);

CREATE TABLE "spree_inventory_units" (
    "id" serial NOT NULL,
    "state" character varying,
    "variant_id" integer,
    "shipment_id" integer,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "pending" boolean DEFAULT true,
    "line_item_id" integer,
    "carton_id" integer,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_inventory_units_on_carton_id" ON "spree_inventory_units" ("carton_id");
CREATE INDEX "index_spree_inventory_units_on_line_item_id" ON "spree_inventory_units" ("line_item_id");
CREATE INDEX "index_inventory_units_on_shipment_id" ON "spree_inventory_units" ("shipment_id");
CREATE INDEX "index_inventory_units_on_variant_id" ON "spree_inventory_units" ("variant_id");

CREATE TABLE "spree_line_item_actions" (
    "id" serial NOT NULL,
    "line_item_id" integer NOT NULL,
    "action_id" integer NOT NULL,
    "quantity" integer DEFAULT 0,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_line_item_actions_on_action_id" ON "spree_line_item_actions" ("action_id");
CREATE INDEX "index_spree_line_item_actions_on_line_item_id" ON "spree_line_item_actions" ("line_item_id");

CREATE TABLE "spree_line_items" (
    "id" serial NOT NULL,
    "variant_id" integer,
    "order_id" integer,
    "quantity" integer NOT NULL,
    "price" numeric(10,2) NOT NULL,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "cost_price" numeric(10,2),
    "tax_category_id" integer,
    "adjustment_total" numeric(10,2) DEFAULT 0.0,
    "additional_tax_total" numeric(10,2) DEFAULT 0.0,
    "promo_total" numeric(10,2) DEFAULT 0.0,
    "included_tax_total" numeric(10,2) DEFAULT 0.0 NOT NULL,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_line_items_on_order_id" ON "spree_line_items" ("order_id");
CREATE INDEX "index_spree_line_items_on_variant_id" ON "spree_line_items" ("variant_id");

CREATE TABLE "spree_log_entries" (
    "id" serial NOT NULL,
    "source_type" character varying,
    "source_id" integer,
    "details" text,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_log_entries_on_source_id_and_source_type" ON "spree_log_entries" ("source_id", "source_type");

CREATE TABLE "spree_option_type_prototypes" (
    "id" serial NOT NULL,
    "prototype_id" integer,
    "option_type_id" integer,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);

CREATE TABLE "spree_option_types" (
    "id" serial NOT NULL,
    "name" character varying(100),
    "presentation" character varying(100),
    "position" integer DEFAULT 0 NOT NULL,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_option_types_on_position" ON "spree_option_types" ("position");

CREATE TABLE "spree_option_values" (
    "id" serial NOT NULL,
    "position" integer,
    "name" character varying,
    "presentation" character varying,
    "option_type_id" integer,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_option_values_on_option_type_id" ON "spree_option_values" ("option_type_id");
CREATE INDEX "index_spree_option_values_on_position" ON "spree_option_values" ("position");

CREATE TABLE "spree_option_values_variants" (
    "id" serial NOT NULL,
    "variant_id" integer,
    "option_value_id" integer,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_option_values_variants_on_variant_id_and_option_value_id" ON "spree_option_values_variants" ("variant_id", "option_value_id");
CREATE INDEX "index_spree_option_values_variants_on_variant_id" ON "spree_option_values_variants" ("variant_id");

CREATE TABLE "spree_order_mutexes" (
    "id" serial NOT NULL,
    "order_id" integer NOT NULL,
    "created_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "index_spree_order_mutexes_on_order_id" ON "spree_order_mutexes" ("order_id");

CREATE TABLE "spree_orders" (
    "id" serial NOT NULL,
    "number" character varying(32),
    "item_total" numeric(10,2) DEFAULT 0.0 NOT NULL,
    "total" numeric(10,2) DEFAULT 0.0 NOT NULL,
    "state" character varying,
    "adjustment_total" numeric(10,2) DEFAULT 0.0 NOT NULL,
    "user_id" integer,
    "completed_at" timestamp without time zone,
    "bill_address_id" integer,
    "ship_address_id" integer,
    "payment_total" numeric(10,2) DEFAULT 0.0,
    "shipment_state" character varying,
    "payment_state" character varying,
    "email" character varying,
    "special_instructions" text,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "currency" character varying,
    "last_ip_address" character varying,
    "created_by_id" integer,
    "shipment_total" numeric(10,2) DEFAULT 0.0 NOT NULL,
    "additional_tax_total" numeric(10,2) DEFAULT 0.0,
    "promo_total" numeric(10,2) DEFAULT 0.0,
    "channel" character varying DEFAULT 'spree',
    "included_tax_total" numeric(10,2) DEFAULT 0.0 NOT NULL,
    "item_count" integer DEFAULT 0,
    "approver_id" integer,
    "approved_at" timestamp without time zone,
    "confirmation_delivered" boolean DEFAULT false,
    "guest_token" character varying,
    "canceled_at" timestamp without time zone,
    "canceler_id" integer,
    "store_id" integer,
    "approver_name" character varying,
    "frontend_viewable" boolean DEFAULT true NOT NULL,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_orders_on_approver_id" ON "spree_orders" ("approver_id");
CREATE INDEX "index_spree_orders_on_bill_address_id" ON "spree_orders" ("bill_address_id");
CREATE INDEX "index_spree_orders_on_completed_at" ON "spree_orders" ("completed_at");
CREATE INDEX "index_spree_orders_on_created_by_id" ON "spree_orders" ("created_by_id");
CREATE INDEX "index_spree_orders_on_guest_token" ON "spree_orders" ("guest_token");
CREATE INDEX "index_spree_orders_on_number" ON "spree_orders" ("number");
CREATE INDEX "index_spree_orders_on_ship_address_id" ON "spree_orders" ("ship_address_id");
CREATE INDEX "index_spree_orders_on_user_id_and_created_by_id" ON "spree_orders" ("user_id", "created_by_id");
CREATE INDEX "index_spree_orders_on_user_id" ON "spree_orders" ("user_id");

CREATE TABLE "spree_orders_promotions" (
    "id" serial NOT NULL,
    "order_id" integer,
    "promotion_id" integer,
    "promotion_code_id" integer,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_orders_promotions_on_order_id_and_promotion_id" ON "spree_orders_promotions" ("order_id", "promotion_id");
CREATE INDEX "index_spree_orders_promotions_on_promotion_code_id" ON "spree_orders_promotions" ("promotion_code_id");

CREATE TABLE "spree_payment_capture_events" (
    "id" serial NOT NULL,
    "amount" numeric(10,2) DEFAULT 0.0,
    "payment_id" integer,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_payment_capture_events_on_payment_id" ON "spree_payment_capture_events" ("payment_id");

CREATE TABLE "spree_payment_methods" (
    "id" serial NOT NULL,
    "type" character varying,
    "name" character varying,
    "description" text,
    "active" boolean DEFAULT true,
    "deleted_at" timestamp without time zone,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "auto_capture" boolean,
    "preferences" text,
    "preference_source" character varying,
    "position" integer DEFAULT 0,
    "available_to_users" boolean DEFAULT true,
    "available_to_admin" boolean DEFAULT true,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_payment_methods_on_id_and_type" ON "spree_payment_methods" ("id", "type");

CREATE TABLE "spree_payments" (
    "id" serial NOT NULL,
    "amount" numeric(10,2) DEFAULT 0.0 NOT NULL,
    "order_id" integer,
    "source_type" character varying,
    "source_id" integer,
    "payment_method_id" integer,
    "state" character varying,
    "response_code" character varying,
    "avs_response" character varying,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "number" character varying,
    "cvv_response_code" character varying,
    "cvv_response_message" character varying,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "index_spree_payments_on_number" ON "spree_payments" ("number");
CREATE INDEX "index_spree_payments_on_order_id" ON "spree_payments" ("order_id");
CREATE INDEX "index_spree_payments_on_payment_method_id" ON "spree_payments" ("payment_method_id");
CREATE INDEX "index_spree_payments_on_source_id_and_source_type" ON "spree_payments" ("source_id", "source_type");

CREATE TABLE "spree_preferences" (
    "id" serial NOT NULL,
    "value" text,
    "key" character varying,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "index_spree_preferences_on_key" ON "spree_preferences" ("key");

CREATE TABLE "spree_prices" (
    "id" serial NOT NULL,
    "variant_id" integer NOT NULL,
    "amount" numeric(10,2),
    "currency" character varying,
    "deleted_at" timestamp without time zone,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "country_iso" character varying(2),
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_prices_on_country_iso" ON "spree_prices" ("country_iso");
CREATE INDEX "index_spree_prices_on_variant_id_and_currency" ON "spree_prices" ("variant_id", "currency");

CREATE TABLE "spree_product_option_types" (
    "id" serial NOT NULL,
    "position" integer,
    "product_id" integer,
    "option_type_id" integer,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_product_option_types_on_option_type_id" ON "spree_product_option_types" ("option_type_id");
CREATE INDEX "index_spree_product_option_types_on_position" ON "spree_product_option_types" ("position");
CREATE INDEX "index_spree_product_option_types_on_product_id" ON "spree_product_option_types" ("product_id");

CREATE TABLE "spree_product_promotion_rules" (
    "id" serial NOT NULL,
    "product_id" integer,
    "promotion_rule_id" integer,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_products_promotion_rules_on_product_id" ON "spree_product_promotion_rules" ("product_id");
CREATE INDEX "index_products_promotion_rules_on_promotion_rule_id" ON "spree_product_promotion_rules" ("promotion_rule_id");

CREATE TABLE "spree_product_properties" (
    "id" serial NOT NULL,
    "value" character varying,
    "product_id" integer,
    "property_id" integer,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "position" integer DEFAULT 0,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_product_properties_on_position" ON "spree_product_properties" ("position");
CREATE INDEX "index_product_properties_on_product_id" ON "spree_product_properties" ("product_id");
CREATE INDEX "index_spree_product_properties_on_property_id" ON "spree_product_properties" ("property_id");

CREATE TABLE "spree_products" (
    "id" serial NOT NULL,
    "name" character varying DEFAULT '' NOT NULL,
    "description" text,
    "available_on" timestamp without time zone,
    "deleted_at" timestamp without time zone,
    "slug" character varying,
    "meta_description" text,
    "meta_keywords" character varying,
    "tax_category_id" integer,
    "shipping_category_id" integer,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "promotionable" boolean DEFAULT true,
    "meta_title" character varying,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_products_on_available_on" ON "spree_products" ("available_on");
CREATE INDEX "index_spree_products_on_deleted_at" ON "spree_products" ("deleted_at");
CREATE INDEX "index_spree_products_on_name" ON "spree_products" ("name");
CREATE UNIQUE INDEX "index_spree_products_on_slug" ON "spree_products" ("slug");

CREATE TABLE "spree_products_taxons" (
    "id" serial NOT NULL,
    "product_id" integer,
    "taxon_id" integer,
    "position" integer,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_products_taxons_on_position" ON "spree_products_taxons" ("position");
CREATE INDEX "index_spree_products_taxons_on_product_id" ON "spree_products_taxons" ("product_id");
CREATE INDEX "index_spree_products_taxons_on_taxon_id" ON "spree_products_taxons" ("taxon_id");

CREATE TABLE "spree_promotion_action_line_items" (
    "id" serial NOT NULL,
    "promotion_action_id" integer,
    "variant_id" integer,
    "quantity" integer DEFAULT 1,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_promotion_action_line_items_on_promotion_action_id" ON "spree_promotion_action_line_items" ("promotion_action_id");
CREATE INDEX "index_spree_promotion_action_line_items_on_variant_id" ON "spree_promotion_action_line_items" ("variant_id");

CREATE TABLE "spree_promotion_actions" (
    "id" serial NOT NULL,
    "promotion_id" integer,
    "position" integer,
    "type" character varying,
    "deleted_at" timestamp without time zone,
    "preferences" text,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_promotion_actions_on_deleted_at" ON "spree_promotion_actions" ("deleted_at");
CREATE INDEX "index_spree_promotion_actions_on_id_and_type" ON "spree_promotion_actions" ("id", "type");
CREATE INDEX "index_spree_promotion_actions_on_promotion_id" ON "spree_promotion_actions" ("promotion_id");

CREATE TABLE "spree_promotion_categories" (
    "id" serial NOT NULL,
    "name" character varying,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "code" character varying,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);

CREATE TABLE "spree_promotion_code_batches" (
    "id" serial NOT NULL,
    "promotion_id" integer NOT NULL,
    "base_code" character varying NOT NULL,
    "number_of_codes" integer NOT NULL,
    "email" character varying,
    "error" character varying,
    "state" character varying DEFAULT 'pending',
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "join_characters" character varying DEFAULT '_' NOT NULL,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_promotion_code_batches_on_promotion_id" ON "spree_promotion_code_batches" ("promotion_id");

CREATE TABLE "spree_promotion_codes" (
    "id" serial NOT NULL,
    "promotion_id" integer NOT NULL,
    "value" character varying NOT NULL,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "promotion_code_batch_id" integer,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_promotion_codes_on_promotion_code_batch_id" ON "spree_promotion_codes" ("promotion_code_batch_id");
CREATE INDEX "index_spree_promotion_codes_on_promotion_id" ON "spree_promotion_codes" ("promotion_id");
CREATE UNIQUE INDEX "index_spree_promotion_codes_on_value" ON "spree_promotion_codes" ("value");

CREATE TABLE "spree_promotion_rule_taxons" (
    "id" serial NOT NULL,
    "taxon_id" integer,
    "promotion_rule_id" integer,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_promotion_rule_taxons_on_promotion_rule_id" ON "spree_promotion_rule_taxons" ("promotion_rule_id");
CREATE INDEX "index_spree_promotion_rule_taxons_on_taxon_id" ON "spree_promotion_rule_taxons" ("taxon_id");

CREATE TABLE "spree_promotion_rules" (
    "id" serial NOT NULL,
    "promotion_id" integer,
    "product_group_id" integer,
    "type" character varying,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "code" character varying,
    "preferences" text,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_promotion_rules_on_product_group_id" ON "spree_promotion_rules" ("product_group_id");
CREATE INDEX "index_spree_promotion_rules_on_promotion_id" ON "spree_promotion_rules" ("promotion_id");

CREATE TABLE "spree_promotion_rules_stores" (
    "id" bigserial NOT NULL,
    "store_id" bigint NOT NULL,
    "promotion_rule_id" bigint NOT NULL,
    "created_at" timestamp without time zone NOT NULL,
    "updated_at" timestamp without time zone NOT NULL,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_promotion_rules_stores_on_promotion_rule_id" ON "spree_promotion_rules_stores" ("promotion_rule_id");
CREATE INDEX "index_spree_promotion_rules_stores_on_store_id" ON "spree_promotion_rules_stores" ("store_id");

CREATE TABLE "spree_promotion_rules_users" (
    "id" serial NOT NULL,
    "user_id" integer,
    "promotion_rule_id" integer,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_promotion_rules_users_on_promotion_rule_id" ON "spree_promotion_rules_users" ("promotion_rule_id");
CREATE INDEX "index_promotion_rules_users_on_user_id" ON "spree_promotion_rules_users" ("user_id");

CREATE TABLE "spree_promotions" (
    "id" serial NOT NULL,
    "description" character varying,
    "expires_at" timestamp without time zone,
    "starts_at" timestamp without time zone,
    "name" character varying,
    "type" character varying,
    "usage_limit" integer,
    "match_policy" character varying DEFAULT 'all',
    "advertise" boolean DEFAULT false,
    "path" character varying,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "promotion_category_id" integer,
    "per_code_usage_limit" integer,
    "apply_automatically" boolean DEFAULT false,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_promotions_on_advertise" ON "spree_promotions" ("advertise");
CREATE INDEX "index_spree_promotions_on_apply_automatically" ON "spree_promotions" ("apply_automatically");
CREATE INDEX "index_spree_promotions_on_expires_at" ON "spree_promotions" ("expires_at");
CREATE INDEX "index_spree_promotions_on_id_and_type" ON "spree_promotions" ("id", "type");
CREATE INDEX "index_spree_promotions_on_promotion_category_id" ON "spree_promotions" ("promotion_category_id");
CREATE INDEX "index_spree_promotions_on_starts_at" ON "spree_promotions" ("starts_at");

CREATE TABLE "spree_properties" (
    "id" serial NOT NULL,
    "name" character varying,
    "presentation" character varying NOT NULL,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);

CREATE TABLE "spree_property_prototypes" (
    "id" serial NOT NULL,
    "prototype_id" integer,
    "property_id" integer,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);

CREATE TABLE "spree_prototype_taxons" (
    "id" serial NOT NULL,
    "taxon_id" integer,
    "prototype_id" integer,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_prototype_taxons_on_prototype_id" ON "spree_prototype_taxons" ("prototype_id");
CREATE INDEX "index_spree_prototype_taxons_on_taxon_id" ON "spree_prototype_taxons" ("taxon_id");

CREATE TABLE "spree_prototypes" (
    "id" serial NOT NULL,
    "name" character varying,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);

CREATE TABLE "spree_refund_reasons" (
    "id" serial NOT NULL,
    "name" character varying,
    "active" boolean DEFAULT true,
    "mutable" boolean DEFAULT true,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "code" character varying,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);

CREATE TABLE "spree_refunds" (
    "id" serial NOT NULL,
    "payment_id" integer,
    "amount" numeric(10,2) DEFAULT 0.0 NOT NULL,
    "transaction_id" character varying,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "refund_reason_id" integer,
    "reimbursement_id" integer,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_refunds_on_payment_id" ON "spree_refunds" ("payment_id");
CREATE INDEX "index_refunds_on_refund_reason_id" ON "spree_refunds" ("refund_reason_id");
CREATE INDEX "index_spree_refunds_on_reimbursement_id" ON "spree_refunds" ("reimbursement_id");

CREATE TABLE "spree_reimbursement_credits" (
    "id" serial NOT NULL,
    "amount" numeric(10,2) DEFAULT 0.0 NOT NULL,
    "reimbursement_id" integer,
    "creditable_id" integer,
    "creditable_type" character varying,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);

CREATE TABLE "spree_reimbursement_types" (
    "id" serial NOT NULL,
    "name" character varying,
    "active" boolean DEFAULT true,
    "mutable" boolean DEFAULT true,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "type" character varying,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_reimbursement_types_on_type" ON "spree_reimbursement_types" ("type");

CREATE TABLE "spree_reimbursements" (
    "id" serial NOT NULL,
    "number" character varying,
    "reimbursement_status" character varying,
    "customer_return_id" integer,
    "order_id" integer,
    "total" numeric(10,2),
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_reimbursements_on_customer_return_id" ON "spree_reimbursements" ("customer_return_id");
CREATE INDEX "index_spree_reimbursements_on_order_id" ON "spree_reimbursements" ("order_id");

CREATE TABLE "spree_return_authorizations" (
    "id" serial NOT NULL,
    "number" character varying,
    "state" character varying,
    "order_id" integer,
    "memo" text,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "stock_location_id" integer,
    "return_reason_id" integer,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_return_authorizations_on_return_authorization_reason_id" ON "spree_return_authorizations" ("return_reason_id");

CREATE TABLE "spree_return_items" (
    "id" serial NOT NULL,
    "return_authorization_id" integer,
    "inventory_unit_id" integer,
    "exchange_variant_id" integer,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "amount" numeric(12,4) DEFAULT 0.0 NOT NULL,
    "included_tax_total" numeric(12,4) DEFAULT 0.0 NOT NULL,
    "additional_tax_total" numeric(12,4) DEFAULT 0.0 NOT NULL,
    "reception_status" character varying,
    "acceptance_status" character varying,
    "customer_return_id" integer,
    "reimbursement_id" integer,
    "exchange_inventory_unit_id" integer,
    "acceptance_status_errors" text,
    "preferred_reimbursement_type_id" integer,
    "override_reimbursement_type_id" integer,
    "resellable" boolean DEFAULT true NOT NULL,
    "return_reason_id" integer,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_return_items_on_customer_return_id" ON "spree_return_items" ("customer_return_id");
CREATE INDEX "index_spree_return_items_on_exchange_inventory_unit_id" ON "spree_return_items" ("exchange_inventory_unit_id");

CREATE TABLE "spree_return_reasons" (
    "id" serial NOT NULL,
    "name" character varying,
    "active" boolean DEFAULT true,
    "mutable" boolean DEFAULT true,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);

CREATE TABLE "spree_roles" (
    "id" serial NOT NULL,
    "name" character varying,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "index_spree_roles_on_name" ON "spree_roles" ("name");

CREATE TABLE "spree_roles_users" (
    "id" serial NOT NULL,
    "role_id" integer,
    "user_id" integer,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_roles_users_on_role_id" ON "spree_roles_users" ("role_id");
CREATE UNIQUE INDEX "index_spree_roles_users_on_user_id_and_role_id" ON "spree_roles_users" ("user_id", "role_id");
CREATE INDEX "index_spree_roles_users_on_user_id" ON "spree_roles_users" ("user_id");

CREATE TABLE "spree_sample_changes" (
    "id" bigserial NOT NULL,
    "changeable_type" character varying,
    "changeable_id" integer,
    "changed_data" json,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);

CREATE TABLE "spree_shipments" (
    "id" serial NOT NULL,
    "tracking" character varying,
    "number" character varying,
    "cost" numeric(10,2) DEFAULT 0.0,
    "shipped_at" timestamp without time zone,
    "order_id" integer,
    "deprecated_address_id" integer,
    "state" character varying,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "stock_location_id" integer,
    "adjustment_total" numeric(10,2) DEFAULT 0.0,
    "additional_tax_total" numeric(10,2) DEFAULT 0.0,
    "promo_total" numeric(10,2) DEFAULT 0.0,
    "included_tax_total" numeric(10,2) DEFAULT 0.0 NOT NULL,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_shipments_on_deprecated_address_id" ON "spree_shipments" ("deprecated_address_id");
CREATE INDEX "index_shipments_on_number" ON "spree_shipments" ("number");
CREATE INDEX "index_spree_shipments_on_order_id" ON "spree_shipments" ("order_id");
CREATE INDEX "index_spree_shipments_on_stock_location_id" ON "spree_shipments" ("stock_location_id");

CREATE TABLE "spree_shipping_categories" (
    "id" serial NOT NULL,
    "name" character varying,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);

CREATE TABLE "spree_shipping_method_categories" (
    "id" serial NOT NULL,
    "shipping_method_id" integer NOT NULL,
    "shipping_category_id" integer NOT NULL,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "unique_spree_shipping_method_categories" ON "spree_shipping_method_categories" ("shipping_category_id", "shipping_method_id");
CREATE INDEX "index_spree_shipping_method_categories_on_shipping_method_id" ON "spree_shipping_method_categories" ("shipping_method_id");

CREATE TABLE "spree_shipping_method_stock_locations" (
    "id" serial NOT NULL,
    "shipping_method_id" integer,
    "stock_location_id" integer,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "shipping_method_id_spree_sm_sl" ON "spree_shipping_method_stock_locations" ("shipping_method_id");
CREATE INDEX "sstock_location_id_spree_sm_sl" ON "spree_shipping_method_stock_locations" ("stock_location_id");

CREATE TABLE "spree_shipping_method_zones" (
    "id" serial NOT NULL,
    "shipping_method_id" integer,
    "zone_id" integer,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);

CREATE TABLE "spree_shipping_methods" (
    "id" serial NOT NULL,
    "name" character varying,
    "deleted_at" timestamp without time zone,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "tracking_url" character varying,
    "admin_name" character varying,
    "tax_category_id" integer,
    "code" character varying,
    "available_to_all" boolean DEFAULT true,
    "carrier" character varying,
    "service_level" character varying,
    "available_to_users" boolean DEFAULT true,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_shipping_methods_on_tax_category_id" ON "spree_shipping_methods" ("tax_category_id");

CREATE TABLE "spree_shipping_rate_taxes" (
    "id" serial NOT NULL,
    "amount" numeric(8,2) DEFAULT 0.0 NOT NULL,
    "tax_rate_id" integer,
    "shipping_rate_id" integer,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_shipping_rate_taxes_on_shipping_rate_id" ON "spree_shipping_rate_taxes" ("shipping_rate_id");
CREATE INDEX "index_spree_shipping_rate_taxes_on_tax_rate_id" ON "spree_shipping_rate_taxes" ("tax_rate_id");

CREATE TABLE "spree_shipping_rates" (
    "id" serial NOT NULL,
    "shipment_id" integer,
    "shipping_method_id" integer,
    "selected" boolean DEFAULT false,
    "cost" numeric(8,2) DEFAULT 0.0,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "tax_rate_id" integer,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "spree_shipping_rates_join_index" ON "spree_shipping_rates" ("shipment_id", "shipping_method_id");

CREATE TABLE "spree_state_changes" (
    "id" serial NOT NULL,
    "name" character varying,
    "previous_state" character varying,
    "stateful_id" integer,
    "user_id" integer,
    "stateful_type" character varying,
    "next_state" character varying,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_state_changes_on_stateful_id_and_stateful_type" ON "spree_state_changes" ("stateful_id", "stateful_type");
CREATE INDEX "index_spree_state_changes_on_user_id" ON "spree_state_changes" ("user_id");

CREATE TABLE "spree_states" (
    "id" serial NOT NULL,
    "name" character varying,
    "abbr" character varying,
    "country_id" integer,
    "updated_at" timestamp(6) without time zone,
    "created_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_states_on_country_id" ON "spree_states" ("country_id");

CREATE TABLE "spree_stock_items" (
    "id" serial NOT NULL,
    "stock_location_id" integer,
    "variant_id" integer,
    "count_on_hand" integer DEFAULT 0 NOT NULL,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "backorderable" boolean DEFAULT false,
    "deleted_at" timestamp without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_stock_items_on_deleted_at" ON "spree_stock_items" ("deleted_at");
CREATE INDEX "stock_item_by_loc_and_var_id" ON "spree_stock_items" ("stock_location_id", "variant_id");
CREATE INDEX "index_spree_stock_items_on_stock_location_id" ON "spree_stock_items" ("stock_location_id");
CREATE UNIQUE INDEX "index_spree_stock_items_on_variant_id_and_stock_location_id" ON "spree_stock_items" ("variant_id", "stock_location_id") WHERE (deleted_at IS NULL);

CREATE TABLE "spree_stock_locations" (
    "id" serial NOT NULL,
    "name" character varying,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "default" boolean DEFAULT false NOT NULL,
    "address1" character varying,
    "address2" character varying,
    "city" character varying,
    "state_id" integer,
    "state_name" character varying,
    "country_id" integer,
    "zipcode" character varying,
    "phone" character varying,
    "active" boolean DEFAULT true,
    "backorderable_default" boolean DEFAULT false,
    "propagate_all_variants" boolean DEFAULT true,
    "admin_name" character varying,
    "position" integer DEFAULT 0,
    "restock_inventory" boolean DEFAULT true NOT NULL,
    "fulfillable" boolean DEFAULT true NOT NULL,
    "code" character varying,
    "check_stock_on_transfer" boolean DEFAULT true,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_stock_locations_on_country_id" ON "spree_stock_locations" ("country_id");
CREATE INDEX "index_spree_stock_locations_on_state_id" ON "spree_stock_locations" ("state_id");

CREATE TABLE "spree_stock_movements" (
    "id" serial NOT NULL,
    "stock_item_id" integer,
    "quantity" integer DEFAULT 0,
    "action" character varying,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "originator_type" character varying,
    "originator_id" integer,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_stock_movements_on_stock_item_id" ON "spree_stock_movements" ("stock_item_id");

CREATE TABLE "spree_store_credit_categories" (
    "id" serial NOT NULL,
    "name" character varying,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);

CREATE TABLE "spree_store_credit_events" (
    "id" serial NOT NULL,
    "store_credit_id" integer NOT NULL,
    "action" character varying NOT NULL,
    "amount" numeric(8,2),
    "user_total_amount" numeric(8,2) DEFAULT 0.0 NOT NULL,
    "authorization_code" character varying NOT NULL,
    "deleted_at" timestamp without time zone,
    "originator_type" character varying,
    "originator_id" integer,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "amount_remaining" numeric(8,2),
    "store_credit_reason_id" integer,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_store_credit_events_on_deleted_at" ON "spree_store_credit_events" ("deleted_at");
CREATE INDEX "index_spree_store_credit_events_on_store_credit_id" ON "spree_store_credit_events" ("store_credit_id");

CREATE TABLE "spree_store_credit_reasons" (
    "id" bigserial NOT NULL,
    "name" character varying,
    "active" boolean DEFAULT true,
    "created_at" timestamp without time zone NOT NULL,
    "updated_at" timestamp without time zone NOT NULL,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);

CREATE TABLE "spree_store_credit_types" (
    "id" serial NOT NULL,
    "name" character varying,
    "priority" integer,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_store_credit_types_on_priority" ON "spree_store_credit_types" ("priority");

CREATE TABLE "spree_store_credits" (
    "id" serial NOT NULL,
    "user_id" integer,
    "category_id" integer,
    "created_by_id" integer,
    "amount" numeric(8,2) DEFAULT 0.0 NOT NULL,
    "amount_used" numeric(8,2) DEFAULT 0.0 NOT NULL,
    "amount_authorized" numeric(8,2) DEFAULT 0.0 NOT NULL,
    "currency" character varying,
    "memo" text,
    "deleted_at" timestamp without time zone,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "type_id" integer,
    "invalidated_at" timestamp without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_store_credits_on_deleted_at" ON "spree_store_credits" ("deleted_at");
CREATE INDEX "index_spree_store_credits_on_type_id" ON "spree_store_credits" ("type_id");
CREATE INDEX "index_spree_store_credits_on_user_id" ON "spree_store_credits" ("user_id");

CREATE TABLE "spree_store_payment_methods" (
    "id" serial NOT NULL,
    "store_id" integer NOT NULL,
    "payment_method_id" integer NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_store_payment_methods_on_payment_method_id" ON "spree_store_payment_methods" ("payment_method_id");
CREATE INDEX "index_spree_store_payment_methods_on_store_id" ON "spree_store_payment_methods" ("store_id");

CREATE TABLE "spree_store_shipping_methods" (
    "id" bigserial NOT NULL,
    "store_id" bigint NOT NULL,
    "shipping_method_id" bigint NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_store_shipping_methods_on_shipping_method_id" ON "spree_store_shipping_methods" ("shipping_method_id");
CREATE INDEX "index_spree_store_shipping_methods_on_store_id" ON "spree_store_shipping_methods" ("store_id");

CREATE TABLE "spree_stores" (
    "id" serial NOT NULL,
    "name" character varying,
    "url" character varying,
    "meta_description" text,
    "meta_keywords" text,
    "seo_title" character varying,
    "mail_from_address" character varying,
    "default_currency" character varying,
    "code" character varying,
    "default" boolean DEFAULT false NOT NULL,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "cart_tax_country_iso" character varying,
    "available_locales" character varying,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_stores_on_code" ON "spree_stores" ("code");
CREATE INDEX "index_spree_stores_on_default" ON "spree_stores" ("default");

CREATE TABLE "spree_tax_categories" (
    "id" serial NOT NULL,
    "name" character varying,
    "description" character varying,
    "is_default" boolean DEFAULT false,
    "deleted_at" timestamp without time zone,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "tax_code" character varying,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);

CREATE TABLE "spree_tax_rate_tax_categories" (
    "id" serial NOT NULL,
    "tax_category_id" integer NOT NULL,
    "tax_rate_id" integer NOT NULL,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_tax_rate_tax_categories_on_tax_category_id" ON "spree_tax_rate_tax_categories" ("tax_category_id");
CREATE INDEX "index_spree_tax_rate_tax_categories_on_tax_rate_id" ON "spree_tax_rate_tax_categories" ("tax_rate_id");

CREATE TABLE "spree_tax_rates" (
    "id" serial NOT NULL,
    "amount" numeric(8,5),
    "zone_id" integer,
    "included_in_price" boolean DEFAULT false,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "name" character varying,
    "show_rate_in_label" boolean DEFAULT true,
    "deleted_at" timestamp without time zone,
    "starts_at" timestamp without time zone,
    "expires_at" timestamp without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_tax_rates_on_deleted_at" ON "spree_tax_rates" ("deleted_at");
CREATE INDEX "index_spree_tax_rates_on_zone_id" ON "spree_tax_rates" ("zone_id");

CREATE TABLE "spree_taxonomies" (
    "id" serial NOT NULL,
    "name" character varying NOT NULL,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "position" integer DEFAULT 0,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_taxonomies_on_position" ON "spree_taxonomies" ("position");

CREATE TABLE "spree_taxons" (
    "id" serial NOT NULL,
    "parent_id" integer,
    "position" integer DEFAULT 0,
    "name" character varying NOT NULL,
    "permalink" character varying,
    "taxonomy_id" integer,
    "lft" integer,
    "rgt" integer,
    "icon_file_name" character varying,
    "icon_content_type" character varying,
    "icon_file_size" integer,
    "icon_updated_at" timestamp without time zone,
    "description" text,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "meta_title" character varying,
    "meta_description" character varying,
    "meta_keywords" character varying,
    "depth" integer,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_taxons_on_lft" ON "spree_taxons" ("lft");
CREATE INDEX "index_taxons_on_parent_id" ON "spree_taxons" ("parent_id");
CREATE INDEX "index_taxons_on_permalink" ON "spree_taxons" ("permalink");
CREATE INDEX "index_spree_taxons_on_position" ON "spree_taxons" ("position");
CREATE INDEX "index_spree_taxons_on_rgt" ON "spree_taxons" ("rgt");
CREATE INDEX "index_taxons_on_taxonomy_id" ON "spree_taxons" ("taxonomy_id");

CREATE TABLE "spree_unit_cancels" (
    "id" serial NOT NULL,
    "inventory_unit_id" integer NOT NULL,
    "reason" character varying,
    "created_by" character varying,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_unit_cancels_on_inventory_unit_id" ON "spree_unit_cancels" ("inventory_unit_id");

CREATE TABLE "spree_user_addresses" (
    "id" serial NOT NULL,
    "user_id" integer NOT NULL,
    "address_id" integer NOT NULL,
    "default" boolean DEFAULT false,
    "archived" boolean DEFAULT false,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_user_addresses_on_address_id" ON "spree_user_addresses" ("address_id");
CREATE UNIQUE INDEX "index_spree_user_addresses_on_user_id_and_address_id" ON "spree_user_addresses" ("user_id", "address_id");
CREATE INDEX "index_spree_user_addresses_on_user_id" ON "spree_user_addresses" ("user_id");

CREATE TABLE "spree_user_stock_locations" (
    "id" serial NOT NULL,
    "user_id" integer,
    "stock_location_id" integer,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_user_stock_locations_on_user_id" ON "spree_user_stock_locations" ("user_id");

CREATE TABLE "spree_users" (
    "id" serial NOT NULL,
    "encrypted_password" character varying(128),
    "password_salt" character varying(128),
    "email" character varying,
    "remember_token" character varying,
    "persistence_token" character varying,
    "reset_password_token" character varying,
    "perishable_token" character varying,
    "sign_in_count" integer DEFAULT 0 NOT NULL,
    "failed_attempts" integer DEFAULT 0 NOT NULL,
    "last_request_at" timestamp without time zone,
    "current_sign_in_at" timestamp without time zone,
    "last_sign_in_at" timestamp without time zone,
    "current_sign_in_ip" character varying,
    "last_sign_in_ip" character varying,
    "login" character varying,
    "ship_address_id" integer,
    "bill_address_id" integer,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "spree_api_key" character varying(48),
    "authentication_token" character varying,
    "unlock_token" character varying,
    "locked_at" timestamp without time zone,
    "remember_created_at" timestamp without time zone,
    "reset_password_sent_at" timestamp without time zone,
    "deleted_at" timestamp without time zone,
    "confirmation_token" character varying,
    "confirmed_at" timestamp without time zone,
    "confirmation_sent_at" timestamp without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_users_on_deleted_at" ON "spree_users" ("deleted_at");
CREATE UNIQUE INDEX "email_idx_unique" ON "spree_users" ("email");
CREATE INDEX "index_spree_users_on_spree_api_key" ON "spree_users" ("spree_api_key");

CREATE TABLE "spree_variant_property_rule_conditions" (
    "id" serial NOT NULL,
    "option_value_id" integer,
    "variant_property_rule_id" integer,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_variant_prop_rule_conditions_on_rule_and_optval" ON "spree_variant_property_rule_conditions" ("variant_property_rule_id", "option_value_id");

CREATE TABLE "spree_variant_property_rule_values" (
    "id" serial NOT NULL,
    "value" text,
    "position" integer DEFAULT 0,
    "property_id" integer,
    "variant_property_rule_id" integer,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_variant_property_rule_values_on_property_id" ON "spree_variant_property_rule_values" ("property_id");
CREATE INDEX "index_spree_variant_property_rule_values_on_rule" ON "spree_variant_property_rule_values" ("variant_property_rule_id");

CREATE TABLE "spree_variant_property_rules" (
    "id" serial NOT NULL,
    "product_id" integer,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_variant_property_rules_on_product_id" ON "spree_variant_property_rules" ("product_id");

CREATE TABLE "spree_variants" (
    "id" serial NOT NULL,
    "sku" character varying DEFAULT '' NOT NULL,
    "weight" numeric(8,2) DEFAULT 0.0,
    "height" numeric(8,2),
    "width" numeric(8,2),
    "depth" numeric(8,2),
    "deleted_at" timestamp without time zone,
    "is_master" boolean DEFAULT false,
    "product_id" integer,
    "cost_price" numeric(10,2),
    "position" integer,
    "cost_currency" character varying,
    "track_inventory" boolean DEFAULT true,
    "tax_category_id" integer,
    "updated_at" timestamp(6) without time zone,
    "created_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_variants_on_position" ON "spree_variants" ("position");
CREATE INDEX "index_spree_variants_on_product_id" ON "spree_variants" ("product_id");
CREATE INDEX "index_spree_variants_on_sku" ON "spree_variants" ("sku");
CREATE INDEX "index_spree_variants_on_tax_category_id" ON "spree_variants" ("tax_category_id");
CREATE INDEX "index_spree_variants_on_track_inventory" ON "spree_variants" ("track_inventory");

CREATE TABLE "spree_wallet_payment_sources" (
    "id" serial NOT NULL,
    "user_id" integer NOT NULL,
    "payment_source_type" character varying NOT NULL,
    "payment_source_id" integer NOT NULL,
    "default" boolean DEFAULT false NOT NULL,
    "created_at" timestamp(6) without time zone NOT NULL,
    "updated_at" timestamp(6) without time zone NOT NULL,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "index_spree_wallet_payment_sources_on_source_and_user" ON "spree_wallet_payment_sources" ("user_id", "payment_source_id", "payment_source_type");
CREATE INDEX "index_spree_wallet_payment_sources_on_user_id" ON "spree_wallet_payment_sources" ("user_id");

CREATE TABLE "spree_zone_members" (
    "id" serial NOT NULL,
    "zoneable_type" character varying,
    "zoneable_id" integer,
    "zone_id" integer,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_spree_zone_members_on_zone_id" ON "spree_zone_members" ("zone_id");
CREATE INDEX "index_spree_zone_members_on_zoneable_id_and_zoneable_type" ON "spree_zone_members" ("zoneable_id", "zoneable_type");

CREATE TABLE "spree_zones" (
    "id" serial NOT NULL,
    "name" character varying,
    "description" character varying,
    "zone_members_count" integer DEFAULT 0,
    "created_at" timestamp(6) without time zone,
    "updated_at" timestamp(6) without time zone,
    "sample_indicator_id" character varying,
    PRIMARY KEY ("id")
);

ALTER TABLE ONLY "active_storage_attachments" ADD CONSTRAINT "fk_rails_c3b3935057" FOREIGN KEY ("blob_id") REFERENCES "active_storage_blobs"("id");
ALTER TABLE ONLY "spree_promotion_code_batches" ADD CONSTRAINT "fk_rails_c217102f50" FOREIGN KEY ("promotion_id") REFERENCES "spree_promotions"("id");
ALTER TABLE ONLY "spree_promotion_codes" ADD CONSTRAINT "fk_rails_e306e312d9" FOREIGN KEY ("promotion_code_batch_id") REFERENCES "spree_promotion_code_batches"("id");
ALTER TABLE ONLY "spree_tax_rate_tax_categories" ADD CONSTRAINT "fk_rails_499313ce8e" FOREIGN KEY ("tax_category_id") REFERENCES "spree_tax_categories"("id");
ALTER TABLE ONLY "spree_tax_rate_tax_categories" ADD CONSTRAINT "fk_rails_3e6fe87e12" FOREIGN KEY ("tax_rate_id") REFERENCES "spree_tax_rates"("id");
ALTER TABLE ONLY "spree_wallet_payment_sources" ADD CONSTRAINT "fk_rails_5dd6e027c5" FOREIGN KEY ("user_id") REFERENCES "spree_users"("id");
