-- Solidus (solidusio/solidus-demo) db/schema.rb transcribed to SQL. See NOTES.md.
CREATE TABLE "active_storage_attachments" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" varchar NOT NULL,
    "record_type" varchar NOT NULL,
    "record_id" bigint NOT NULL,
    "blob_id" bigint NOT NULL,
    "created_at" datetime NOT NULL,
    "sample_indicator_id" varchar,
    CONSTRAINT "fk_rails_c3b3935057" FOREIGN KEY ("blob_id") REFERENCES "active_storage_blobs" ("id")
);
CREATE INDEX "index_active_storage_attachments_on_blob_id" ON "active_storage_attachments" ("blob_id");
CREATE UNIQUE INDEX "index_active_storage_attachments_uniqueness" ON "active_storage_attachments" ("record_type", "record_id", "name", "blob_id");

CREATE TABLE "active_storage_blobs" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "key" varchar NOT NULL,
    "filename" varchar NOT NULL,
    "content_type" varchar,
    "metadata" text,
    "byte_size" bigint NOT NULL,
    "checksum" varchar NOT NULL,
    "created_at" datetime NOT NULL,
    "sample_indicator_id" varchar
);
CREATE UNIQUE INDEX "index_active_storage_blobs_on_key" ON "active_storage_blobs" ("key");

CREATE TABLE "friendly_id_slugs" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "slug" varchar NOT NULL,
    "sluggable_id" integer NOT NULL,
    "sluggable_type" varchar(50),
    "scope" varchar,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);
CREATE UNIQUE INDEX "index_friendly_id_slugs_on_slug_and_sluggable_type_and_scope" ON "friendly_id_slugs" ("slug", "sluggable_type", "scope");
CREATE INDEX "index_friendly_id_slugs_on_slug_and_sluggable_type" ON "friendly_id_slugs" ("slug", "sluggable_type");
CREATE INDEX "index_friendly_id_slugs_on_sluggable_id" ON "friendly_id_slugs" ("sluggable_id");
CREATE INDEX "index_friendly_id_slugs_on_sluggable_type" ON "friendly_id_slugs" ("sluggable_type");

CREATE TABLE "spree_addresses" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "firstname" varchar,
    "lastname" varchar,
    "address1" varchar,
    "address2" varchar,
    "city" varchar,
    "zipcode" varchar,
    "phone" varchar,
    "state_name" varchar,
    "alternative_phone" varchar,
    "company" varchar,
    "state_id" integer,
    "country_id" integer,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_addresses_on_country_id" ON "spree_addresses" ("country_id");
CREATE INDEX "index_addresses_on_firstname" ON "spree_addresses" ("firstname");
CREATE INDEX "index_addresses_on_lastname" ON "spree_addresses" ("lastname");
CREATE INDEX "index_spree_addresses_on_state_id" ON "spree_addresses" ("state_id");

CREATE TABLE "spree_adjustment_reasons" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" varchar,
    "code" varchar,
    "active" boolean DEFAULT 1,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_adjustment_reasons_on_active" ON "spree_adjustment_reasons" ("active");
CREATE INDEX "index_spree_adjustment_reasons_on_code" ON "spree_adjustment_reasons" ("code");

CREATE TABLE "spree_adjustments" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "source_type" varchar,
    "source_id" integer,
    "adjustable_type" varchar,
    "adjustable_id" integer NOT NULL,
    "amount" decimal(10,2),
    "label" varchar,
    "eligible" boolean DEFAULT 1,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "order_id" integer NOT NULL,
    "included" boolean DEFAULT 0,
    "promotion_code_id" integer,
    "adjustment_reason_id" integer,
    "finalized" boolean DEFAULT 0 NOT NULL,
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_adjustments_on_adjustable_id_and_adjustable_type" ON "spree_adjustments" ("adjustable_id", "adjustable_type");
CREATE INDEX "index_adjustments_on_order_id" ON "spree_adjustments" ("adjustable_id");
CREATE INDEX "index_spree_adjustments_on_eligible" ON "spree_adjustments" ("eligible");
CREATE INDEX "index_spree_adjustments_on_order_id" ON "spree_adjustments" ("order_id");
CREATE INDEX "index_spree_adjustments_on_promotion_code_id" ON "spree_adjustments" ("promotion_code_id");
CREATE INDEX "index_spree_adjustments_on_source_id_and_source_type" ON "spree_adjustments" ("source_id", "source_type");

CREATE TABLE "spree_assets" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "viewable_type" varchar,
    "viewable_id" integer,
    "attachment_width" integer,
    "attachment_height" integer,
    "attachment_file_size" integer,
    "position" integer,
    "attachment_content_type" varchar,
    "attachment_file_name" varchar,
    "type" varchar(75),
    "attachment_updated_at" datetime,
    "alt" text,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);
CREATE INDEX "index_assets_on_viewable_id" ON "spree_assets" ("viewable_id");
CREATE INDEX "index_assets_on_viewable_type_and_type" ON "spree_assets" ("viewable_type", "type");

CREATE TABLE "spree_calculators" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "type" varchar,
    "calculable_type" varchar,
    "calculable_id" integer,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "preferences" text,
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_calculators_on_calculable_id_and_calculable_type" ON "spree_calculators" ("calculable_id", "calculable_type");
CREATE INDEX "index_spree_calculators_on_id_and_type" ON "spree_calculators" ("id", "type");

CREATE TABLE "spree_cartons" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "number" varchar,
    "external_number" varchar,
    "stock_location_id" integer,
    "address_id" integer,
    "shipping_method_id" integer,
    "tracking" varchar,
    "shipped_at" datetime,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "imported_from_shipment_id" integer,
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_cartons_on_external_number" ON "spree_cartons" ("external_number");
CREATE UNIQUE INDEX "index_spree_cartons_on_imported_from_shipment_id" ON "spree_cartons" ("imported_from_shipment_id");
CREATE UNIQUE INDEX "index_spree_cartons_on_number" ON "spree_cartons" ("number");
CREATE INDEX "index_spree_cartons_on_stock_location_id" ON "spree_cartons" ("stock_location_id");

CREATE TABLE "spree_countries" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "iso_name" varchar,
    "iso" varchar,
    "iso3" varchar,
    "name" varchar,
    "numcode" integer,
    "states_required" boolean DEFAULT 0,
    "updated_at" datetime(6),
    "created_at" datetime(6),
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_countries_on_iso" ON "spree_countries" ("iso");

CREATE TABLE "spree_credit_cards" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "month" varchar,
    "year" varchar,
    "cc_type" varchar,
    "last_digits" varchar,
    "gateway_customer_profile_id" varchar,
    "gateway_payment_profile_id" varchar,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "name" varchar,
    "user_id" integer,
    "payment_method_id" integer,
    "default" boolean DEFAULT 0 NOT NULL,
    "address_id" integer,
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_credit_cards_on_payment_method_id" ON "spree_credit_cards" ("payment_method_id");
CREATE INDEX "index_spree_credit_cards_on_user_id" ON "spree_credit_cards" ("user_id");

CREATE TABLE "spree_customer_returns" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "number" varchar,
    "stock_location_id" integer,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);

CREATE TABLE "spree_inventory_units" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "state" varchar,
    "variant_id" integer,
    "shipment_id" integer,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "pending" boolean DEFAULT 1,
    "line_item_id" integer,
    "carton_id" integer,
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_inventory_units_on_carton_id" ON "spree_inventory_units" ("carton_id");
CREATE INDEX "index_spree_inventory_units_on_line_item_id" ON "spree_inventory_units" ("line_item_id");
CREATE INDEX "index_inventory_units_on_shipment_id" ON "spree_inventory_units" ("shipment_id");
CREATE INDEX "index_inventory_units_on_variant_id" ON "spree_inventory_units" ("variant_id");

CREATE TABLE "spree_line_item_actions" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "line_item_id" integer NOT NULL,
    "action_id" integer NOT NULL,
    "quantity" integer DEFAULT 0,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_line_item_actions_on_action_id" ON "spree_line_item_actions" ("action_id");
CREATE INDEX "index_spree_line_item_actions_on_line_item_id" ON "spree_line_item_actions" ("line_item_id");

CREATE TABLE "spree_line_items" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "variant_id" integer,
    "order_id" integer,
    "quantity" integer NOT NULL,
    "price" decimal(10,2) NOT NULL,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "cost_price" decimal(10,2),
    "tax_category_id" integer,
    "adjustment_total" decimal(10,2) DEFAULT 0.0,
    "additional_tax_total" decimal(10,2) DEFAULT 0.0,
    "promo_total" decimal(10,2) DEFAULT 0.0,
    "included_tax_total" decimal(10,2) DEFAULT 0.0 NOT NULL,
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_line_items_on_order_id" ON "spree_line_items" ("order_id");
CREATE INDEX "index_spree_line_items_on_variant_id" ON "spree_line_items" ("variant_id");

CREATE TABLE "spree_log_entries" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "source_type" varchar,
    "source_id" integer,
    "details" text,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_log_entries_on_source_id_and_source_type" ON "spree_log_entries" ("source_id", "source_type");

CREATE TABLE "spree_option_type_prototypes" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "prototype_id" integer,
    "option_type_id" integer,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);

CREATE TABLE "spree_option_types" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" varchar(100),
    "presentation" varchar(100),
    "position" integer DEFAULT 0 NOT NULL,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_option_types_on_position" ON "spree_option_types" ("position");

CREATE TABLE "spree_option_values" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "position" integer,
    "name" varchar,
    "presentation" varchar,
    "option_type_id" integer,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_option_values_on_option_type_id" ON "spree_option_values" ("option_type_id");
CREATE INDEX "index_spree_option_values_on_position" ON "spree_option_values" ("position");

CREATE TABLE "spree_option_values_variants" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "variant_id" integer,
    "option_value_id" integer,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);
CREATE INDEX "index_option_values_variants_on_variant_id_and_option_value_id" ON "spree_option_values_variants" ("variant_id", "option_value_id");
CREATE INDEX "index_spree_option_values_variants_on_variant_id" ON "spree_option_values_variants" ("variant_id");

CREATE TABLE "spree_order_mutexes" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "order_id" integer NOT NULL,
    "created_at" datetime(6),
    "sample_indicator_id" varchar
);
CREATE UNIQUE INDEX "index_spree_order_mutexes_on_order_id" ON "spree_order_mutexes" ("order_id");

CREATE TABLE "spree_orders" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "number" varchar(32),
    "item_total" decimal(10,2) DEFAULT 0.0 NOT NULL,
    "total" decimal(10,2) DEFAULT 0.0 NOT NULL,
    "state" varchar,
    "adjustment_total" decimal(10,2) DEFAULT 0.0 NOT NULL,
    "user_id" integer,
    "completed_at" datetime,
    "bill_address_id" integer,
    "ship_address_id" integer,
    "payment_total" decimal(10,2) DEFAULT 0.0,
    "shipment_state" varchar,
    "payment_state" varchar,
    "email" varchar,
    "special_instructions" text,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "currency" varchar,
    "last_ip_address" varchar,
    "created_by_id" integer,
    "shipment_total" decimal(10,2) DEFAULT 0.0 NOT NULL,
    "additional_tax_total" decimal(10,2) DEFAULT 0.0,
    "promo_total" decimal(10,2) DEFAULT 0.0,
    "channel" varchar DEFAULT 'spree',
    "included_tax_total" decimal(10,2) DEFAULT 0.0 NOT NULL,
    "item_count" integer DEFAULT 0,
    "approver_id" integer,
    "approved_at" datetime,
    "confirmation_delivered" boolean DEFAULT 0,
    "guest_token" varchar,
    "canceled_at" datetime,
    "canceler_id" integer,
    "store_id" integer,
    "approver_name" varchar,
    "frontend_viewable" boolean DEFAULT 1 NOT NULL,
    "sample_indicator_id" varchar
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
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "order_id" integer,
    "promotion_id" integer,
    "promotion_code_id" integer,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_orders_promotions_on_order_id_and_promotion_id" ON "spree_orders_promotions" ("order_id", "promotion_id");
CREATE INDEX "index_spree_orders_promotions_on_promotion_code_id" ON "spree_orders_promotions" ("promotion_code_id");

CREATE TABLE "spree_payment_capture_events" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "amount" decimal(10,2) DEFAULT 0.0,
    "payment_id" integer,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_payment_capture_events_on_payment_id" ON "spree_payment_capture_events" ("payment_id");

CREATE TABLE "spree_payment_methods" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "type" varchar,
    "name" varchar,
    "description" text,
    "active" boolean DEFAULT 1,
    "deleted_at" datetime,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "auto_capture" boolean,
    "preferences" text,
    "preference_source" varchar,
    "position" integer DEFAULT 0,
    "available_to_users" boolean DEFAULT 1,
    "available_to_admin" boolean DEFAULT 1,
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_payment_methods_on_id_and_type" ON "spree_payment_methods" ("id", "type");

CREATE TABLE "spree_payments" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "amount" decimal(10,2) DEFAULT 0.0 NOT NULL,
    "order_id" integer,
    "source_type" varchar,
    "source_id" integer,
    "payment_method_id" integer,
    "state" varchar,
    "response_code" varchar,
    "avs_response" varchar,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "number" varchar,
    "cvv_response_code" varchar,
    "cvv_response_message" varchar,
    "sample_indicator_id" varchar
);
CREATE UNIQUE INDEX "index_spree_payments_on_number" ON "spree_payments" ("number");
CREATE INDEX "index_spree_payments_on_order_id" ON "spree_payments" ("order_id");
CREATE INDEX "index_spree_payments_on_payment_method_id" ON "spree_payments" ("payment_method_id");
CREATE INDEX "index_spree_payments_on_source_id_and_source_type" ON "spree_payments" ("source_id", "source_type");

CREATE TABLE "spree_preferences" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "value" text,
    "key" varchar,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);
CREATE UNIQUE INDEX "index_spree_preferences_on_key" ON "spree_preferences" ("key");

CREATE TABLE "spree_prices" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "variant_id" integer NOT NULL,
    "amount" decimal(10,2),
    "currency" varchar,
    "deleted_at" datetime,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "country_iso" varchar(2),
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_prices_on_country_iso" ON "spree_prices" ("country_iso");
CREATE INDEX "index_spree_prices_on_variant_id_and_currency" ON "spree_prices" ("variant_id", "currency");

CREATE TABLE "spree_product_option_types" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "position" integer,
    "product_id" integer,
    "option_type_id" integer,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_product_option_types_on_option_type_id" ON "spree_product_option_types" ("option_type_id");
CREATE INDEX "index_spree_product_option_types_on_position" ON "spree_product_option_types" ("position");
CREATE INDEX "index_spree_product_option_types_on_product_id" ON "spree_product_option_types" ("product_id");

CREATE TABLE "spree_product_promotion_rules" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "product_id" integer,
    "promotion_rule_id" integer,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);
CREATE INDEX "index_products_promotion_rules_on_product_id" ON "spree_product_promotion_rules" ("product_id");
CREATE INDEX "index_products_promotion_rules_on_promotion_rule_id" ON "spree_product_promotion_rules" ("promotion_rule_id");

CREATE TABLE "spree_product_properties" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "value" varchar,
    "product_id" integer,
    "property_id" integer,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "position" integer DEFAULT 0,
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_product_properties_on_position" ON "spree_product_properties" ("position");
CREATE INDEX "index_product_properties_on_product_id" ON "spree_product_properties" ("product_id");
CREATE INDEX "index_spree_product_properties_on_property_id" ON "spree_product_properties" ("property_id");

CREATE TABLE "spree_products" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" varchar DEFAULT '' NOT NULL,
    "description" text,
    "available_on" datetime,
    "deleted_at" datetime,
    "slug" varchar,
    "meta_description" text,
    "meta_keywords" varchar,
    "tax_category_id" integer,
    "shipping_category_id" integer,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "promotionable" boolean DEFAULT 1,
    "meta_title" varchar,
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_products_on_available_on" ON "spree_products" ("available_on");
CREATE INDEX "index_spree_products_on_deleted_at" ON "spree_products" ("deleted_at");
CREATE INDEX "index_spree_products_on_name" ON "spree_products" ("name");
CREATE UNIQUE INDEX "index_spree_products_on_slug" ON "spree_products" ("slug");

CREATE TABLE "spree_products_taxons" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "product_id" integer,
    "taxon_id" integer,
    "position" integer,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_products_taxons_on_position" ON "spree_products_taxons" ("position");
CREATE INDEX "index_spree_products_taxons_on_product_id" ON "spree_products_taxons" ("product_id");
CREATE INDEX "index_spree_products_taxons_on_taxon_id" ON "spree_products_taxons" ("taxon_id");

CREATE TABLE "spree_promotion_action_line_items" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "promotion_action_id" integer,
    "variant_id" integer,
    "quantity" integer DEFAULT 1,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_promotion_action_line_items_on_promotion_action_id" ON "spree_promotion_action_line_items" ("promotion_action_id");
CREATE INDEX "index_spree_promotion_action_line_items_on_variant_id" ON "spree_promotion_action_line_items" ("variant_id");

CREATE TABLE "spree_promotion_actions" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "promotion_id" integer,
    "position" integer,
    "type" varchar,
    "deleted_at" datetime,
    "preferences" text,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_promotion_actions_on_deleted_at" ON "spree_promotion_actions" ("deleted_at");
CREATE INDEX "index_spree_promotion_actions_on_id_and_type" ON "spree_promotion_actions" ("id", "type");
CREATE INDEX "index_spree_promotion_actions_on_promotion_id" ON "spree_promotion_actions" ("promotion_id");

CREATE TABLE "spree_promotion_categories" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" varchar,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "code" varchar,
    "sample_indicator_id" varchar
);

CREATE TABLE "spree_promotion_code_batches" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "promotion_id" integer NOT NULL,
    "base_code" varchar NOT NULL,
    "number_of_codes" integer NOT NULL,
    "email" varchar,
    "error" varchar,
    "state" varchar DEFAULT 'pending',
    "created_at" datetime(6) NOT NULL,
    "updated_at" datetime(6) NOT NULL,
    "join_characters" varchar DEFAULT '_' NOT NULL,
    "sample_indicator_id" varchar,
    CONSTRAINT "fk_rails_c217102f50" FOREIGN KEY ("promotion_id") REFERENCES "spree_promotions" ("id")
);
CREATE INDEX "index_spree_promotion_code_batches_on_promotion_id" ON "spree_promotion_code_batches" ("promotion_id");

CREATE TABLE "spree_promotion_codes" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "promotion_id" integer NOT NULL,
    "value" varchar NOT NULL,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "promotion_code_batch_id" integer,
    "sample_indicator_id" varchar,
    CONSTRAINT "fk_rails_e306e312d9" FOREIGN KEY ("promotion_code_batch_id") REFERENCES "spree_promotion_code_batches" ("id")
);
CREATE INDEX "index_spree_promotion_codes_on_promotion_code_batch_id" ON "spree_promotion_codes" ("promotion_code_batch_id");
CREATE INDEX "index_spree_promotion_codes_on_promotion_id" ON "spree_promotion_codes" ("promotion_id");
CREATE UNIQUE INDEX "index_spree_promotion_codes_on_value" ON "spree_promotion_codes" ("value");

CREATE TABLE "spree_promotion_rule_taxons" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "taxon_id" integer,
    "promotion_rule_id" integer,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_promotion_rule_taxons_on_promotion_rule_id" ON "spree_promotion_rule_taxons" ("promotion_rule_id");
CREATE INDEX "index_spree_promotion_rule_taxons_on_taxon_id" ON "spree_promotion_rule_taxons" ("taxon_id");

CREATE TABLE "spree_promotion_rules" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "promotion_id" integer,
    "product_group_id" integer,
    "type" varchar,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "code" varchar,
    "preferences" text,
    "sample_indicator_id" varchar
);
CREATE INDEX "index_promotion_rules_on_product_group_id" ON "spree_promotion_rules" ("product_group_id");
CREATE INDEX "index_spree_promotion_rules_on_promotion_id" ON "spree_promotion_rules" ("promotion_id");

CREATE TABLE "spree_promotion_rules_stores" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "store_id" bigint NOT NULL,
    "promotion_rule_id" bigint NOT NULL,
    "created_at" datetime NOT NULL,
    "updated_at" datetime NOT NULL,
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_promotion_rules_stores_on_promotion_rule_id" ON "spree_promotion_rules_stores" ("promotion_rule_id");
CREATE INDEX "index_spree_promotion_rules_stores_on_store_id" ON "spree_promotion_rules_stores" ("store_id");

CREATE TABLE "spree_promotion_rules_users" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "user_id" integer,
    "promotion_rule_id" integer,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);
CREATE INDEX "index_promotion_rules_users_on_promotion_rule_id" ON "spree_promotion_rules_users" ("promotion_rule_id");
CREATE INDEX "index_promotion_rules_users_on_user_id" ON "spree_promotion_rules_users" ("user_id");

CREATE TABLE "spree_promotions" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "description" varchar,
    "expires_at" datetime,
    "starts_at" datetime,
    "name" varchar,
    "type" varchar,
    "usage_limit" integer,
    "match_policy" varchar DEFAULT 'all',
    "advertise" boolean DEFAULT 0,
    "path" varchar,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "promotion_category_id" integer,
    "per_code_usage_limit" integer,
    "apply_automatically" boolean DEFAULT 0,
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_promotions_on_advertise" ON "spree_promotions" ("advertise");
CREATE INDEX "index_spree_promotions_on_apply_automatically" ON "spree_promotions" ("apply_automatically");
CREATE INDEX "index_spree_promotions_on_expires_at" ON "spree_promotions" ("expires_at");
CREATE INDEX "index_spree_promotions_on_id_and_type" ON "spree_promotions" ("id", "type");
CREATE INDEX "index_spree_promotions_on_promotion_category_id" ON "spree_promotions" ("promotion_category_id");
CREATE INDEX "index_spree_promotions_on_starts_at" ON "spree_promotions" ("starts_at");

CREATE TABLE "spree_properties" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" varchar,
    "presentation" varchar NOT NULL,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);

CREATE TABLE "spree_property_prototypes" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "prototype_id" integer,
    "property_id" integer,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);

CREATE TABLE "spree_prototype_taxons" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "taxon_id" integer,
    "prototype_id" integer,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_prototype_taxons_on_prototype_id" ON "spree_prototype_taxons" ("prototype_id");
CREATE INDEX "index_spree_prototype_taxons_on_taxon_id" ON "spree_prototype_taxons" ("taxon_id");

CREATE TABLE "spree_prototypes" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" varchar,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);

CREATE TABLE "spree_refund_reasons" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" varchar,
    "active" boolean DEFAULT 1,
    "mutable" boolean DEFAULT 1,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "code" varchar,
    "sample_indicator_id" varchar
);

CREATE TABLE "spree_refunds" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "payment_id" integer,
    "amount" decimal(10,2) DEFAULT 0.0 NOT NULL,
    "transaction_id" varchar,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "refund_reason_id" integer,
    "reimbursement_id" integer,
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_refunds_on_payment_id" ON "spree_refunds" ("payment_id");
CREATE INDEX "index_refunds_on_refund_reason_id" ON "spree_refunds" ("refund_reason_id");
CREATE INDEX "index_spree_refunds_on_reimbursement_id" ON "spree_refunds" ("reimbursement_id");

CREATE TABLE "spree_reimbursement_credits" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "amount" decimal(10,2) DEFAULT 0.0 NOT NULL,
    "reimbursement_id" integer,
    "creditable_id" integer,
    "creditable_type" varchar,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);

CREATE TABLE "spree_reimbursement_types" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" varchar,
    "active" boolean DEFAULT 1,
    "mutable" boolean DEFAULT 1,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "type" varchar,
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_reimbursement_types_on_type" ON "spree_reimbursement_types" ("type");

CREATE TABLE "spree_reimbursements" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "number" varchar,
    "reimbursement_status" varchar,
    "customer_return_id" integer,
    "order_id" integer,
    "total" decimal(10,2),
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_reimbursements_on_customer_return_id" ON "spree_reimbursements" ("customer_return_id");
CREATE INDEX "index_spree_reimbursements_on_order_id" ON "spree_reimbursements" ("order_id");

CREATE TABLE "spree_return_authorizations" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "number" varchar,
    "state" varchar,
    "order_id" integer,
    "memo" text,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "stock_location_id" integer,
    "return_reason_id" integer,
    "sample_indicator_id" varchar
);
CREATE INDEX "index_return_authorizations_on_return_authorization_reason_id" ON "spree_return_authorizations" ("return_reason_id");

CREATE TABLE "spree_return_items" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "return_authorization_id" integer,
    "inventory_unit_id" integer,
    "exchange_variant_id" integer,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "amount" decimal(12,4) DEFAULT 0.0 NOT NULL,
    "included_tax_total" decimal(12,4) DEFAULT 0.0 NOT NULL,
    "additional_tax_total" decimal(12,4) DEFAULT 0.0 NOT NULL,
    "reception_status" varchar,
    "acceptance_status" varchar,
    "customer_return_id" integer,
    "reimbursement_id" integer,
    "exchange_inventory_unit_id" integer,
    "acceptance_status_errors" text,
    "preferred_reimbursement_type_id" integer,
    "override_reimbursement_type_id" integer,
    "resellable" boolean DEFAULT 1 NOT NULL,
    "return_reason_id" integer,
    "sample_indicator_id" varchar
);
CREATE INDEX "index_return_items_on_customer_return_id" ON "spree_return_items" ("customer_return_id");
CREATE INDEX "index_spree_return_items_on_exchange_inventory_unit_id" ON "spree_return_items" ("exchange_inventory_unit_id");

CREATE TABLE "spree_return_reasons" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" varchar,
    "active" boolean DEFAULT 1,
    "mutable" boolean DEFAULT 1,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);

CREATE TABLE "spree_roles" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" varchar,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);
CREATE UNIQUE INDEX "index_spree_roles_on_name" ON "spree_roles" ("name");

CREATE TABLE "spree_roles_users" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "role_id" integer,
    "user_id" integer,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_roles_users_on_role_id" ON "spree_roles_users" ("role_id");
CREATE UNIQUE INDEX "index_spree_roles_users_on_user_id_and_role_id" ON "spree_roles_users" ("user_id", "role_id");
CREATE INDEX "index_spree_roles_users_on_user_id" ON "spree_roles_users" ("user_id");

CREATE TABLE "spree_sample_changes" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "changeable_type" varchar,
    "changeable_id" integer,
    "changed_data" json,
    "sample_indicator_id" varchar
);

CREATE TABLE "spree_shipments" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "tracking" varchar,
    "number" varchar,
    "cost" decimal(10,2) DEFAULT 0.0,
    "shipped_at" datetime,
    "order_id" integer,
    "deprecated_address_id" integer,
    "state" varchar,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "stock_location_id" integer,
    "adjustment_total" decimal(10,2) DEFAULT 0.0,
    "additional_tax_total" decimal(10,2) DEFAULT 0.0,
    "promo_total" decimal(10,2) DEFAULT 0.0,
    "included_tax_total" decimal(10,2) DEFAULT 0.0 NOT NULL,
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_shipments_on_deprecated_address_id" ON "spree_shipments" ("deprecated_address_id");
CREATE INDEX "index_shipments_on_number" ON "spree_shipments" ("number");
CREATE INDEX "index_spree_shipments_on_order_id" ON "spree_shipments" ("order_id");
CREATE INDEX "index_spree_shipments_on_stock_location_id" ON "spree_shipments" ("stock_location_id");

CREATE TABLE "spree_shipping_categories" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" varchar,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);

CREATE TABLE "spree_shipping_method_categories" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "shipping_method_id" integer NOT NULL,
    "shipping_category_id" integer NOT NULL,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);
CREATE UNIQUE INDEX "unique_spree_shipping_method_categories" ON "spree_shipping_method_categories" ("shipping_category_id", "shipping_method_id");
CREATE INDEX "index_spree_shipping_method_categories_on_shipping_method_id" ON "spree_shipping_method_categories" ("shipping_method_id");

CREATE TABLE "spree_shipping_method_stock_locations" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "shipping_method_id" integer,
    "stock_location_id" integer,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);
CREATE INDEX "shipping_method_id_spree_sm_sl" ON "spree_shipping_method_stock_locations" ("shipping_method_id");
CREATE INDEX "sstock_location_id_spree_sm_sl" ON "spree_shipping_method_stock_locations" ("stock_location_id");

CREATE TABLE "spree_shipping_method_zones" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "shipping_method_id" integer,
    "zone_id" integer,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);

CREATE TABLE "spree_shipping_methods" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" varchar,
    "deleted_at" datetime,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "tracking_url" varchar,
    "admin_name" varchar,
    "tax_category_id" integer,
    "code" varchar,
    "available_to_all" boolean DEFAULT 1,
    "carrier" varchar,
    "service_level" varchar,
    "available_to_users" boolean DEFAULT 1,
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_shipping_methods_on_tax_category_id" ON "spree_shipping_methods" ("tax_category_id");

CREATE TABLE "spree_shipping_rate_taxes" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "amount" decimal(8,2) DEFAULT 0.0 NOT NULL,
    "tax_rate_id" integer,
    "shipping_rate_id" integer,
    "created_at" datetime(6) NOT NULL,
    "updated_at" datetime(6) NOT NULL,
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_shipping_rate_taxes_on_shipping_rate_id" ON "spree_shipping_rate_taxes" ("shipping_rate_id");
CREATE INDEX "index_spree_shipping_rate_taxes_on_tax_rate_id" ON "spree_shipping_rate_taxes" ("tax_rate_id");

CREATE TABLE "spree_shipping_rates" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "shipment_id" integer,
    "shipping_method_id" integer,
    "selected" boolean DEFAULT 0,
    "cost" decimal(8,2) DEFAULT 0.0,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "tax_rate_id" integer,
    "sample_indicator_id" varchar
);
CREATE UNIQUE INDEX "spree_shipping_rates_join_index" ON "spree_shipping_rates" ("shipment_id", "shipping_method_id");

CREATE TABLE "spree_state_changes" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" varchar,
    "previous_state" varchar,
    "stateful_id" integer,
    "user_id" integer,
    "stateful_type" varchar,
    "next_state" varchar,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_state_changes_on_stateful_id_and_stateful_type" ON "spree_state_changes" ("stateful_id", "stateful_type");
CREATE INDEX "index_spree_state_changes_on_user_id" ON "spree_state_changes" ("user_id");

CREATE TABLE "spree_states" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" varchar,
    "abbr" varchar,
    "country_id" integer,
    "updated_at" datetime(6),
    "created_at" datetime(6),
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_states_on_country_id" ON "spree_states" ("country_id");

CREATE TABLE "spree_stock_items" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "stock_location_id" integer,
    "variant_id" integer,
    "count_on_hand" integer DEFAULT 0 NOT NULL,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "backorderable" boolean DEFAULT 0,
    "deleted_at" datetime,
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_stock_items_on_deleted_at" ON "spree_stock_items" ("deleted_at");
CREATE INDEX "stock_item_by_loc_and_var_id" ON "spree_stock_items" ("stock_location_id", "variant_id");
CREATE INDEX "index_spree_stock_items_on_stock_location_id" ON "spree_stock_items" ("stock_location_id");
CREATE UNIQUE INDEX "index_spree_stock_items_on_variant_id_and_stock_location_id" ON "spree_stock_items" ("variant_id", "stock_location_id") WHERE (deleted_at IS NULL);

CREATE TABLE "spree_stock_locations" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" varchar,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "default" boolean DEFAULT 0 NOT NULL,
    "address1" varchar,
    "address2" varchar,
    "city" varchar,
    "state_id" integer,
    "state_name" varchar,
    "country_id" integer,
    "zipcode" varchar,
    "phone" varchar,
    "active" boolean DEFAULT 1,
    "backorderable_default" boolean DEFAULT 0,
    "propagate_all_variants" boolean DEFAULT 1,
    "admin_name" varchar,
    "position" integer DEFAULT 0,
    "restock_inventory" boolean DEFAULT 1 NOT NULL,
    "fulfillable" boolean DEFAULT 1 NOT NULL,
    "code" varchar,
    "check_stock_on_transfer" boolean DEFAULT 1,
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_stock_locations_on_country_id" ON "spree_stock_locations" ("country_id");
CREATE INDEX "index_spree_stock_locations_on_state_id" ON "spree_stock_locations" ("state_id");

CREATE TABLE "spree_stock_movements" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "stock_item_id" integer,
    "quantity" integer DEFAULT 0,
    "action" varchar,
    "created_at" datetime(6) NOT NULL,
    "updated_at" datetime(6) NOT NULL,
    "originator_type" varchar,
    "originator_id" integer,
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_stock_movements_on_stock_item_id" ON "spree_stock_movements" ("stock_item_id");

CREATE TABLE "spree_store_credit_categories" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" varchar,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);

CREATE TABLE "spree_store_credit_events" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "store_credit_id" integer NOT NULL,
    "action" varchar NOT NULL,
    "amount" decimal(8,2),
    "user_total_amount" decimal(8,2) DEFAULT 0.0 NOT NULL,
    "authorization_code" varchar NOT NULL,
    "deleted_at" datetime,
    "originator_type" varchar,
    "originator_id" integer,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "amount_remaining" decimal(8,2),
    "store_credit_reason_id" integer,
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_store_credit_events_on_deleted_at" ON "spree_store_credit_events" ("deleted_at");
CREATE INDEX "index_spree_store_credit_events_on_store_credit_id" ON "spree_store_credit_events" ("store_credit_id");

CREATE TABLE "spree_store_credit_reasons" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" varchar,
    "active" boolean DEFAULT 1,
    "created_at" datetime NOT NULL,
    "updated_at" datetime NOT NULL,
    "sample_indicator_id" varchar
);

CREATE TABLE "spree_store_credit_types" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" varchar,
    "priority" integer,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_store_credit_types_on_priority" ON "spree_store_credit_types" ("priority");

CREATE TABLE "spree_store_credits" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "user_id" integer,
    "category_id" integer,
    "created_by_id" integer,
    "amount" decimal(8,2) DEFAULT 0.0 NOT NULL,
    "amount_used" decimal(8,2) DEFAULT 0.0 NOT NULL,
    "amount_authorized" decimal(8,2) DEFAULT 0.0 NOT NULL,
    "currency" varchar,
    "memo" text,
    "deleted_at" datetime,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "type_id" integer,
    "invalidated_at" datetime,
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_store_credits_on_deleted_at" ON "spree_store_credits" ("deleted_at");
CREATE INDEX "index_spree_store_credits_on_type_id" ON "spree_store_credits" ("type_id");
CREATE INDEX "index_spree_store_credits_on_user_id" ON "spree_store_credits" ("user_id");

CREATE TABLE "spree_store_payment_methods" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "store_id" integer NOT NULL,
    "payment_method_id" integer NOT NULL,
    "created_at" datetime(6) NOT NULL,
    "updated_at" datetime(6) NOT NULL,
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_store_payment_methods_on_payment_method_id" ON "spree_store_payment_methods" ("payment_method_id");
CREATE INDEX "index_spree_store_payment_methods_on_store_id" ON "spree_store_payment_methods" ("store_id");

CREATE TABLE "spree_store_shipping_methods" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "store_id" bigint NOT NULL,
    "shipping_method_id" bigint NOT NULL,
    "created_at" datetime(6) NOT NULL,
    "updated_at" datetime(6) NOT NULL,
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_store_shipping_methods_on_shipping_method_id" ON "spree_store_shipping_methods" ("shipping_method_id");
CREATE INDEX "index_spree_store_shipping_methods_on_store_id" ON "spree_store_shipping_methods" ("store_id");

CREATE TABLE "spree_stores" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" varchar,
    "url" varchar,
    "meta_description" text,
    "meta_keywords" text,
    "seo_title" varchar,
    "mail_from_address" varchar,
    "default_currency" varchar,
    "code" varchar,
    "default" boolean DEFAULT 0 NOT NULL,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "cart_tax_country_iso" varchar,
    "available_locales" varchar,
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_stores_on_code" ON "spree_stores" ("code");
CREATE INDEX "index_spree_stores_on_default" ON "spree_stores" ("default");

CREATE TABLE "spree_tax_categories" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" varchar,
    "description" varchar,
    "is_default" boolean DEFAULT 0,
    "deleted_at" datetime,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "tax_code" varchar,
    "sample_indicator_id" varchar
);

CREATE TABLE "spree_tax_rate_tax_categories" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "tax_category_id" integer NOT NULL,
    "tax_rate_id" integer NOT NULL,
    "sample_indicator_id" varchar,
    CONSTRAINT "fk_rails_499313ce8e" FOREIGN KEY ("tax_category_id") REFERENCES "spree_tax_categories" ("id"),
    CONSTRAINT "fk_rails_3e6fe87e12" FOREIGN KEY ("tax_rate_id") REFERENCES "spree_tax_rates" ("id")
);
CREATE INDEX "index_spree_tax_rate_tax_categories_on_tax_category_id" ON "spree_tax_rate_tax_categories" ("tax_category_id");
CREATE INDEX "index_spree_tax_rate_tax_categories_on_tax_rate_id" ON "spree_tax_rate_tax_categories" ("tax_rate_id");

CREATE TABLE "spree_tax_rates" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "amount" decimal(8,5),
    "zone_id" integer,
    "included_in_price" boolean DEFAULT 0,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "name" varchar,
    "show_rate_in_label" boolean DEFAULT 1,
    "deleted_at" datetime,
    "starts_at" datetime,
    "expires_at" datetime,
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_tax_rates_on_deleted_at" ON "spree_tax_rates" ("deleted_at");
CREATE INDEX "index_spree_tax_rates_on_zone_id" ON "spree_tax_rates" ("zone_id");

CREATE TABLE "spree_taxonomies" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" varchar NOT NULL,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "position" integer DEFAULT 0,
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_taxonomies_on_position" ON "spree_taxonomies" ("position");

CREATE TABLE "spree_taxons" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "parent_id" integer,
    "position" integer DEFAULT 0,
    "name" varchar NOT NULL,
    "permalink" varchar,
    "taxonomy_id" integer,
    "lft" integer,
    "rgt" integer,
    "icon_file_name" varchar,
    "icon_content_type" varchar,
    "icon_file_size" integer,
    "icon_updated_at" datetime,
    "description" text,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "meta_title" varchar,
    "meta_description" varchar,
    "meta_keywords" varchar,
    "depth" integer,
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_taxons_on_lft" ON "spree_taxons" ("lft");
CREATE INDEX "index_taxons_on_parent_id" ON "spree_taxons" ("parent_id");
CREATE INDEX "index_taxons_on_permalink" ON "spree_taxons" ("permalink");
CREATE INDEX "index_spree_taxons_on_position" ON "spree_taxons" ("position");
CREATE INDEX "index_spree_taxons_on_rgt" ON "spree_taxons" ("rgt");
CREATE INDEX "index_taxons_on_taxonomy_id" ON "spree_taxons" ("taxonomy_id");

CREATE TABLE "spree_unit_cancels" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "inventory_unit_id" integer NOT NULL,
    "reason" varchar,
    "created_by" varchar,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_unit_cancels_on_inventory_unit_id" ON "spree_unit_cancels" ("inventory_unit_id");

CREATE TABLE "spree_user_addresses" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "user_id" integer NOT NULL,
    "address_id" integer NOT NULL,
    "default" boolean DEFAULT 0,
    "archived" boolean DEFAULT 0,
    "created_at" datetime(6) NOT NULL,
    "updated_at" datetime(6) NOT NULL,
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_user_addresses_on_address_id" ON "spree_user_addresses" ("address_id");
CREATE UNIQUE INDEX "index_spree_user_addresses_on_user_id_and_address_id" ON "spree_user_addresses" ("user_id", "address_id");
CREATE INDEX "index_spree_user_addresses_on_user_id" ON "spree_user_addresses" ("user_id");

CREATE TABLE "spree_user_stock_locations" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "user_id" integer,
    "stock_location_id" integer,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_user_stock_locations_on_user_id" ON "spree_user_stock_locations" ("user_id");

CREATE TABLE "spree_users" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "encrypted_password" varchar(128),
    "password_salt" varchar(128),
    "email" varchar,
    "remember_token" varchar,
    "persistence_token" varchar,
    "reset_password_token" varchar,
    "perishable_token" varchar,
    "sign_in_count" integer DEFAULT 0 NOT NULL,
    "failed_attempts" integer DEFAULT 0 NOT NULL,
    "last_request_at" datetime,
    "current_sign_in_at" datetime,
    "last_sign_in_at" datetime,
    "current_sign_in_ip" varchar,
    "last_sign_in_ip" varchar,
    "login" varchar,
    "ship_address_id" integer,
    "bill_address_id" integer,
    "created_at" datetime(6) NOT NULL,
    "updated_at" datetime(6) NOT NULL,
    "spree_api_key" varchar(48),
    "authentication_token" varchar,
    "unlock_token" varchar,
    "locked_at" datetime,
    "remember_created_at" datetime,
    "reset_password_sent_at" datetime,
    "deleted_at" datetime,
    "confirmation_token" varchar,
    "confirmed_at" datetime,
    "confirmation_sent_at" datetime,
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_users_on_deleted_at" ON "spree_users" ("deleted_at");
CREATE UNIQUE INDEX "email_idx_unique" ON "spree_users" ("email");
CREATE INDEX "index_spree_users_on_spree_api_key" ON "spree_users" ("spree_api_key");

CREATE TABLE "spree_variant_property_rule_conditions" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "option_value_id" integer,
    "variant_property_rule_id" integer,
    "created_at" datetime(6) NOT NULL,
    "updated_at" datetime(6) NOT NULL,
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_variant_prop_rule_conditions_on_rule_and_optval" ON "spree_variant_property_rule_conditions" ("variant_property_rule_id", "option_value_id");

CREATE TABLE "spree_variant_property_rule_values" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "value" text,
    "position" integer DEFAULT 0,
    "property_id" integer,
    "variant_property_rule_id" integer,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_variant_property_rule_values_on_property_id" ON "spree_variant_property_rule_values" ("property_id");
CREATE INDEX "index_spree_variant_property_rule_values_on_rule" ON "spree_variant_property_rule_values" ("variant_property_rule_id");

CREATE TABLE "spree_variant_property_rules" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "product_id" integer,
    "created_at" datetime(6) NOT NULL,
    "updated_at" datetime(6) NOT NULL,
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_variant_property_rules_on_product_id" ON "spree_variant_property_rules" ("product_id");

CREATE TABLE "spree_variants" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "sku" varchar DEFAULT '' NOT NULL,
    "weight" decimal(8,2) DEFAULT 0.0,
    "height" decimal(8,2),
    "width" decimal(8,2),
    "depth" decimal(8,2),
    "deleted_at" datetime,
    "is_master" boolean DEFAULT 0,
    "product_id" integer,
    "cost_price" decimal(10,2),
    "position" integer,
    "cost_currency" varchar,
    "track_inventory" boolean DEFAULT 1,
    "tax_category_id" integer,
    "updated_at" datetime(6),
    "created_at" datetime(6),
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_variants_on_position" ON "spree_variants" ("position");
CREATE INDEX "index_spree_variants_on_product_id" ON "spree_variants" ("product_id");
CREATE INDEX "index_spree_variants_on_sku" ON "spree_variants" ("sku");
CREATE INDEX "index_spree_variants_on_tax_category_id" ON "spree_variants" ("tax_category_id");
CREATE INDEX "index_spree_variants_on_track_inventory" ON "spree_variants" ("track_inventory");

CREATE TABLE "spree_wallet_payment_sources" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "user_id" integer NOT NULL,
    "payment_source_type" varchar NOT NULL,
    "payment_source_id" integer NOT NULL,
    "default" boolean DEFAULT 0 NOT NULL,
    "created_at" datetime(6) NOT NULL,
    "updated_at" datetime(6) NOT NULL,
    "sample_indicator_id" varchar,
    CONSTRAINT "fk_rails_5dd6e027c5" FOREIGN KEY ("user_id") REFERENCES "spree_users" ("id")
);
CREATE UNIQUE INDEX "index_spree_wallet_payment_sources_on_source_and_user" ON "spree_wallet_payment_sources" ("user_id", "payment_source_id", "payment_source_type");
CREATE INDEX "index_spree_wallet_payment_sources_on_user_id" ON "spree_wallet_payment_sources" ("user_id");

CREATE TABLE "spree_zone_members" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "zoneable_type" varchar,
    "zoneable_id" integer,
    "zone_id" integer,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);
CREATE INDEX "index_spree_zone_members_on_zone_id" ON "spree_zone_members" ("zone_id");
CREATE INDEX "index_spree_zone_members_on_zoneable_id_and_zoneable_type" ON "spree_zone_members" ("zoneable_id", "zoneable_type");

CREATE TABLE "spree_zones" (
    "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" varchar,
    "description" varchar,
    "zone_members_count" integer DEFAULT 0,
    "created_at" datetime(6),
    "updated_at" datetime(6),
    "sample_indicator_id" varchar
);

