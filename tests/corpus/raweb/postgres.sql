-- RetroAchievements RAWeb (Laravel) — PostgreSQL rendering of database/schema/sqlite-schema.sql (same tables).
-- RAWeb runs on MariaDB in production and SQLite in its test suite; it has no PostgreSQL schema of its own.
-- This file maps the SQLite dump to what Laravel's PostgreSQL grammar emits for the same columns
-- (integer PKs -> bigserial, integers -> bigint, tinyint(1)/boolean -> boolean, datetime -> timestamp(0),
-- varchar -> varchar(255), clob -> text, virtual generated column -> STORED) and spells the mixed-case
-- table "Achievements" the same everywhere (SQLite resolves "achievements"/"ID" case-insensitively). See NOTES.md.

CREATE TABLE "systems" (
    "id" bigserial PRIMARY KEY,
    "name" character varying(255) NOT NULL,
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone,
    "name_full" character varying(255),
    "name_short" character varying(255),
    "manufacturer" character varying(255),
    "active" boolean,
    "order_column" bigint,
    "deleted_at" timestamp(0) without time zone
);

CREATE TABLE "forum_categories" (
    "id" bigserial PRIMARY KEY,
    "title" character varying(255) NOT NULL,
    "description" character varying(255) NOT NULL,
    "order_column" bigint DEFAULT 0 NOT NULL,
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone,
    "deleted_at" timestamp(0) without time zone
);

CREATE TABLE "audit_log" (
    "id" bigserial PRIMARY KEY,
    "log_name" character varying(255),
    "description" text NOT NULL,
    "subject_type" character varying(255),
    "subject_id" bigint,
    "causer_type" character varying(255),
    "causer_id" bigint,
    "properties" text,
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone,
    "event" character varying(255),
    "batch_uuid" character varying(255)
);

CREATE TABLE "auth_roles" (
    "id" bigserial PRIMARY KEY,
    "name" character varying(255) NOT NULL,
    "display" bigint NOT NULL,
    "guard_name" character varying(255) NOT NULL,
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone
);

CREATE TABLE "auth_model_roles" (
    "role_id" bigint NOT NULL,
    "model_type" character varying(255) NOT NULL,
    "model_id" bigint NOT NULL,
    PRIMARY KEY("role_id", "model_id", "model_type")
);

CREATE TABLE "emulators" (
    "id" bigserial PRIMARY KEY,
    "name" character varying(255),
    "original_name" character varying(255),
    "description" text,
    "order_column" bigint,
    "active" boolean DEFAULT false NOT NULL,
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone,
    "deleted_at" timestamp(0) without time zone,
    "documentation_url" character varying(255),
    "download_url" character varying(255),
    "download_x64_url" character varying(255),
    "source_url" character varying(255),
    "website_url" character varying(255),
    "can_debug_triggers" boolean DEFAULT true NOT NULL
);

CREATE TABLE "system_emulators" (
    "id" bigserial PRIMARY KEY,
    "system_id" bigint NOT NULL,
    "emulator_id" bigint NOT NULL,
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone
);

CREATE TABLE "emulator_releases" (
    "id" bigserial PRIMARY KEY,
    "emulator_id" bigint NOT NULL,
    "version" character varying(255),
    "stable" boolean DEFAULT false NOT NULL,
    "minimum" boolean DEFAULT false NOT NULL,
    "notes" text,
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone,
    "deleted_at" timestamp(0) without time zone
);

CREATE TABLE "integration_releases" (
    "id" bigserial PRIMARY KEY,
    "version" character varying(255) NOT NULL,
    "stable" boolean DEFAULT false NOT NULL,
    "minimum" boolean DEFAULT false NOT NULL,
    "notes" text,
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone,
    "deleted_at" timestamp(0) without time zone
);

CREATE TABLE "user_activities" (
    "id" bigserial PRIMARY KEY,
    "user_id" bigint NOT NULL,
    "type" character varying(255) NOT NULL,
    "subject_type" character varying(255),
    "subject_id" bigint,
    "subject_context" bigint,
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone
);

CREATE TABLE "game_set_games" (
    "id" bigserial PRIMARY KEY,
    "game_set_id" bigint NOT NULL,
    "game_id" bigint NOT NULL,
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone,
    "deleted_at" timestamp(0) without time zone
);

CREATE TABLE "achievement_set_versions" (
    "id" bigserial PRIMARY KEY,
    "achievement_set_id" bigint NOT NULL,
    "version" bigint,
    "definition" text,
    "players_total" bigint,
    "achievements_published" bigint,
    "achievements_unpublished" bigint,
    "points_total" bigint,
    "points_weighted" bigint,
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone,
    "deleted_at" timestamp(0) without time zone,
    "players_hardcore" bigint
);

CREATE TABLE "achievement_set_authors" (
    "id" bigserial PRIMARY KEY,
    "achievement_set_id" bigint NOT NULL,
    "user_id" bigint NOT NULL,
    "task" character varying(255),
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone,
    "deleted_at" timestamp(0) without time zone
);

CREATE TABLE "game_achievement_sets" (
    "id" bigserial PRIMARY KEY,
    "game_id" bigint NOT NULL,
    "achievement_set_id" bigint NOT NULL,
    "type" character varying(255),
    "title" character varying(255),
    "order_column" bigint,
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone
);

CREATE TABLE "game_hash_sets" (
    "id" bigserial PRIMARY KEY,
    "game_id" bigint NOT NULL,
    "compatible" boolean,
    "type" character varying(255),
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone,
    "deleted_at" timestamp(0) without time zone
);

CREATE TABLE "game_hash_set_hashes" (
    "id" bigserial PRIMARY KEY,
    "game_hash_set_id" bigint NOT NULL,
    "game_hash_id" bigint NOT NULL,
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone
);

CREATE TABLE "player_sessions" (
    "id" bigserial PRIMARY KEY,
    "user_id" bigint,
    "game_hash_set_id" bigint,
    "game_hash_id" bigint,
    "game_id" bigint,
    "hardcore" boolean,
    "rich_presence" text,
    "rich_presence_updated_at" timestamp(0) without time zone,
    "duration" bigint NOT NULL,
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone,
    "user_agent" character varying(255),
    "ip_address" character varying(255)
);

CREATE TABLE "player_achievements" (
    "id" bigserial PRIMARY KEY,
    "user_id" bigint NOT NULL,
    "achievement_id" bigint NOT NULL,
    "trigger_id" bigint,
    "player_session_id" bigint,
    "unlocker_id" bigint,
    "unlocked_at" timestamp(0) without time zone,
    "unlocked_hardcore_at" timestamp(0) without time zone,
    "unlocked_effective_at" timestamp(0) without time zone GENERATED ALWAYS AS (COALESCE(unlocked_hardcore_at, unlocked_at)) STORED
);

CREATE TABLE "leaderboard_entries" (
    "id" bigserial PRIMARY KEY,
    "leaderboard_id" bigint NOT NULL,
    "user_id" bigint NOT NULL,
    "score" bigint NOT NULL,
    "trigger_id" bigint,
    "player_session_id" bigint,
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone,
    "deleted_at" timestamp(0) without time zone
);

CREATE TABLE "player_achievement_sets" (
    "id" bigserial PRIMARY KEY,
    "user_id" bigint NOT NULL,
    "achievement_set_id" bigint NOT NULL,
    "achievements_unlocked" bigint DEFAULT NULL,
    "achievements_unlocked_hardcore" bigint DEFAULT NULL,
    "completion_percentage" numeric(10, 9) DEFAULT NULL,
    "completion_percentage_hardcore" numeric(10, 0) DEFAULT NULL,
    "completion_dates" text DEFAULT NULL,
    "completion_dates_hardcore" text DEFAULT NULL,
    "completed_at" timestamp(0) without time zone DEFAULT NULL,
    "completed_hardcore_at" timestamp(0) without time zone DEFAULT NULL,
    "last_unlock_at" timestamp(0) without time zone DEFAULT NULL,
    "last_unlock_hardcore_at" timestamp(0) without time zone DEFAULT NULL,
    "points" bigint DEFAULT NULL,
    "points_weighted" bigint DEFAULT NULL,
    "created_at" timestamp(0) without time zone DEFAULT NULL,
    "updated_at" timestamp(0) without time zone DEFAULT NULL,
    "points_hardcore" bigint,
    "achievements_unlocked_softcore" bigint,
    "time_taken" bigint,
    "time_taken_hardcore" bigint
);

CREATE TABLE "message_threads" (
    "id" bigserial PRIMARY KEY,
    "title" character varying(255) NOT NULL,
    "num_messages" bigint DEFAULT 0 NOT NULL,
    "last_message_id" bigint,
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone
);

CREATE TABLE "message_thread_participants" (
    "id" bigserial PRIMARY KEY,
    "thread_id" bigint NOT NULL,
    "user_id" bigint NOT NULL,
    "num_unread" bigint DEFAULT 0 NOT NULL,
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone,
    "deleted_at" timestamp(0) without time zone
);

CREATE TABLE "subscriptions" (
    "id" bigserial PRIMARY KEY,
    "subject_type" character varying(255) NOT NULL,
    "subject_id" bigint NOT NULL,
    "user_id" bigint NOT NULL,
    "state" bigint NOT NULL,
    "created_at" timestamp(0) without time zone DEFAULT NULL,
    "updated_at" timestamp(0) without time zone DEFAULT NULL
);

CREATE TABLE "user_game_list_entries" (
    "id" bigserial PRIMARY KEY,
    "game_id" bigint NOT NULL,
    "updated_at" timestamp(0) without time zone DEFAULT CURRENT_TIMESTAMP,
    "user_id" bigint DEFAULT NULL,
    "type" character varying(255) DEFAULT NULL,
    "created_at" timestamp(0) without time zone DEFAULT NULL
);

CREATE TABLE "achievement_set_incompatible_game_hashes" (
    "id" bigserial PRIMARY KEY,
    "achievement_set_id" bigint NOT NULL,
    "game_hash_id" bigint NOT NULL,
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone
);

CREATE TABLE "achievement_set_claims" (
    "id" bigserial PRIMARY KEY,
    "game_id" bigint NOT NULL,
    "claim_type" bigint NOT NULL,
    "set_type" bigint NOT NULL,
    "status" bigint NOT NULL,
    "extensions_count" bigint NOT NULL,
    "special_type" bigint NOT NULL,
    "created_at" timestamp(0) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    "finished_at" timestamp(0) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    "updated_at" timestamp(0) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    "user_id" bigint DEFAULT NULL
);

CREATE TABLE "user_awards" (
    "id" bigserial PRIMARY KEY,
    "awarded_at" timestamp(0) without time zone NOT NULL,
    "award_type" bigint NOT NULL,
    "award_key" bigint DEFAULT NULL,
    "award_tier" bigint DEFAULT 0 NOT NULL,
    "order_column" bigint DEFAULT 0 NOT NULL,
    "user_id" bigint DEFAULT NULL
);

CREATE TABLE "memory_notes" (
    "id" bigserial PRIMARY KEY,
    "game_id" bigint DEFAULT NULL,
    "address" bigint NOT NULL,
    "user_id" bigint DEFAULT NULL,
    "body" text DEFAULT NULL,
    "created_at" timestamp(0) without time zone DEFAULT NULL,
    "updated_at" timestamp(0) without time zone DEFAULT NULL,
    "game_hash_set_id" bigint DEFAULT NULL,
    "deleted_at" timestamp(0) without time zone DEFAULT NULL
);

CREATE TABLE "game_set_links" (
    "id" bigserial PRIMARY KEY,
    "parent_game_set_id" bigint NOT NULL,
    "child_game_set_id" bigint NOT NULL,
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone
);

CREATE TABLE "achievement_authors" (
    "id" bigserial PRIMARY KEY,
    "achievement_id" bigint NOT NULL,
    "user_id" bigint NOT NULL,
    "task" character varying(255),
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone,
    "deleted_at" timestamp(0) without time zone
);

CREATE TABLE "user_game_achievement_set_preferences" (
    "id" bigserial PRIMARY KEY,
    "user_id" bigint NOT NULL,
    "game_achievement_set_id" bigint NOT NULL,
    "opted_in" boolean NOT NULL,
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone
);

CREATE TABLE "event_achievements" (
    "id" bigserial PRIMARY KEY,
    "achievement_id" bigint NOT NULL,
    "source_achievement_id" bigint,
    "active_from" date,
    "active_until" date,
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone,
    "decorator" character varying(255)
);

CREATE TABLE "emulator_user_agents" (
    "id" bigserial PRIMARY KEY,
    "emulator_id" bigint NOT NULL,
    "client" character varying(255) NOT NULL,
    "minimum_allowed_version" character varying(255),
    "minimum_hardcore_version" character varying(255),
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone
);

CREATE TABLE "forums" (
    "id" bigserial PRIMARY KEY,
    "forum_category_id" bigint DEFAULT NULL,
    "title" character varying(255) NOT NULL,
    "description" character varying(255) NOT NULL,
    "latest_comment_id" bigint DEFAULT NULL,
    "order_column" bigint DEFAULT 0 NOT NULL,
    "created_at" timestamp(0) without time zone DEFAULT NULL,
    "updated_at" timestamp(0) without time zone DEFAULT NULL,
    "forumable_model" character varying(255),
    "forumable_id" bigint,
    "deleted_at" timestamp(0) without time zone
);

CREATE TABLE "forum_topics" (
    "id" bigserial PRIMARY KEY,
    "forum_id" bigint DEFAULT NULL,
    "title" character varying(255) NOT NULL,
    "author_id" bigint DEFAULT NULL,
    "created_at" timestamp(0) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    "latest_comment_id" bigint DEFAULT NULL,
    "required_permissions" bigint DEFAULT 0 NOT NULL,
    "updated_at" timestamp(0) without time zone DEFAULT NULL,
    "pinned_at" timestamp(0) without time zone DEFAULT NULL,
    "locked_at" timestamp(0) without time zone DEFAULT NULL,
    "deleted_at" timestamp(0) without time zone DEFAULT NULL,
    "body" text
);

CREATE TABLE "news" (
    "id" bigserial PRIMARY KEY,
    "created_at" timestamp(0) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    "title" character varying(255) DEFAULT NULL,
    "body" text NOT NULL,
    "link" character varying(255) DEFAULT NULL,
    "image_asset_path" character varying(255) DEFAULT NULL,
    "updated_at" timestamp(0) without time zone DEFAULT NULL,
    "lead" text DEFAULT NULL,
    "user_id" bigint DEFAULT NULL,
    "publish_at" timestamp(0) without time zone DEFAULT NULL,
    "unpublish_at" timestamp(0) without time zone DEFAULT NULL,
    "deleted_at" timestamp(0) without time zone DEFAULT NULL,
    "pinned_at" timestamp(0) without time zone,
    "category" character varying(255)
);

CREATE TABLE "game_sets" (
    "id" bigserial PRIMARY KEY,
    "user_id" bigint,
    "definition" text,
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone,
    "deleted_at" timestamp(0) without time zone,
    "game_id" bigint,
    "type" character varying(255) NOT NULL,
    "title" character varying(255),
    "image_asset_path" character varying(255) DEFAULT '/Images/000001.png',
    "internal_notes" text,
    "has_mature_content" boolean DEFAULT false NOT NULL,
    "forum_topic_id" bigint,
    "sort_title" character varying(255)
);

CREATE TABLE "events" (
    "id" bigserial PRIMARY KEY,
    "legacy_game_id" bigint NOT NULL,
    "image_asset_path" character varying(255) DEFAULT '/Images/000001.png' NOT NULL,
    "active_from" date,
    "active_until" date,
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone,
    "gives_site_award" boolean DEFAULT false NOT NULL
);

CREATE TABLE "games" (
    "id" bigserial PRIMARY KEY,
    "title" character varying(80) DEFAULT NULL,
    "system_id" bigint DEFAULT NULL,
    "forum_topic_id" bigint DEFAULT NULL,
    "image_icon_asset_path" character varying(255) DEFAULT '/Images/000001.png',
    "image_title_asset_path" character varying(255) DEFAULT '/Images/000002.png',
    "image_ingame_asset_path" character varying(255) DEFAULT '/Images/000002.png',
    "image_box_art_asset_path" character varying(255) DEFAULT '/Images/000002.png',
    "publisher" character varying(255) DEFAULT NULL,
    "developer" character varying(255) DEFAULT NULL,
    "genre" character varying(255) DEFAULT NULL,
    "trigger_definition" text DEFAULT NULL,
    "points_weighted" bigint DEFAULT 0 NOT NULL,
    "created_at" timestamp(0) without time zone DEFAULT NULL,
    "updated_at" timestamp(0) without time zone DEFAULT NULL,
    "players_total" bigint DEFAULT NULL,
    "achievements_published" bigint DEFAULT NULL,
    "achievements_unpublished" bigint DEFAULT NULL,
    "points_total" bigint DEFAULT NULL,
    "released_at" timestamp(0) without time zone DEFAULT NULL,
    "deleted_at" timestamp(0) without time zone DEFAULT NULL,
    "legacy_guide_url" character varying(255) DEFAULT NULL,
    "players_hardcore" bigint DEFAULT NULL,
    "achievement_set_version_hash" character varying(255) DEFAULT NULL,
    "released_at_granularity" character varying(255),
    "sort_title" character varying(255),
    "trigger_id" bigint,
    "times_beaten" bigint DEFAULT 0 NOT NULL,
    "times_beaten_hardcore" bigint DEFAULT 0 NOT NULL,
    "median_time_to_beat" bigint,
    "median_time_to_beat_hardcore" bigint,
    "comments_locked_at" timestamp(0) without time zone
);

CREATE TABLE "triggers" (
    "id" bigserial PRIMARY KEY,
    "triggerable_type" character varying(255) NOT NULL,
    "triggerable_id" bigint NOT NULL,
    "user_id" bigint,
    "version" bigint,
    "parent_id" bigint,
    "conditions" text,
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone,
    "deleted_at" timestamp(0) without time zone
);

CREATE TABLE "event_awards" (
    "id" bigserial PRIMARY KEY,
    "event_id" bigint NOT NULL,
    "tier_index" bigint NOT NULL,
    "label" character varying(255) NOT NULL,
    "points_required" bigint NOT NULL,
    "image_asset_path" character varying(255) NOT NULL,
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone
);

CREATE TABLE "user_usernames" (
    "id" bigserial PRIMARY KEY,
    "user_id" bigint,
    "username" character varying(255) NOT NULL,
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone,
    "approved_at" timestamp(0) without time zone,
    "denied_at" timestamp(0) without time zone
);

CREATE TABLE "users" (
    "id" bigserial PRIMARY KEY,
    "username" character varying(255) NOT NULL,
    "legacy_salted_password" character varying(255) NOT NULL,
    "email" character varying(255) NOT NULL,
    "Permissions" bigint NOT NULL,
    "points_hardcore" bigint NOT NULL,
    "connect_token" character varying(255) DEFAULT NULL,
    "connect_token_expires_at" timestamp(0) without time zone DEFAULT NULL,
    "preferences_bitfield" bigint DEFAULT 0,
    "last_activity_at" timestamp(0) without time zone DEFAULT NULL,
    "motto" character varying(255) DEFAULT '' NOT NULL,
    "yield_unlocks" bigint DEFAULT 0 NOT NULL,
    "yield_points" bigint DEFAULT 0 NOT NULL,
    "web_api_key" character varying(255) DEFAULT NULL,
    "web_api_calls" bigint DEFAULT 0 NOT NULL,
    "rich_presence_game_id" bigint DEFAULT 0 NOT NULL,
    "rich_presence" character varying(255) DEFAULT NULL,
    "rich_presence_updated_at" timestamp(0) without time zone DEFAULT NULL,
    "ManuallyVerified" bigint DEFAULT 0,
    "unread_messages" bigint DEFAULT NULL,
    "points_weighted" bigint DEFAULT NULL,
    "is_user_wall_active" boolean DEFAULT true NOT NULL,
    "email_original" character varying(255) DEFAULT NULL,
    "created_at" timestamp(0) without time zone DEFAULT NULL,
    "updated_at" timestamp(0) without time zone DEFAULT NULL,
    "password" character varying(255) DEFAULT NULL,
    "delete_requested_at" timestamp(0) without time zone DEFAULT NULL,
    "deleted_at" timestamp(0) without time zone DEFAULT NULL,
    "points" bigint DEFAULT 0,
    "display_name" character varying(255) DEFAULT NULL,
    "email_verified_at" timestamp(0) without time zone DEFAULT NULL,
    "remember_token" character varying(255) DEFAULT NULL,
    "preferences" text DEFAULT NULL,
    "country" character varying(255) DEFAULT NULL,
    "timezone" character varying(255) DEFAULT NULL,
    "locale" character varying(255) DEFAULT NULL,
    "locale_date" character varying(255) DEFAULT NULL,
    "locale_number" character varying(255) DEFAULT NULL,
    "forum_verified_at" timestamp(0) without time zone DEFAULT NULL,
    "unranked_at" timestamp(0) without time zone DEFAULT NULL,
    "banned_at" timestamp(0) without time zone DEFAULT NULL,
    "muted_until" timestamp(0) without time zone DEFAULT NULL,
    "achievements_unlocked" bigint DEFAULT NULL,
    "achievements_unlocked_hardcore" bigint DEFAULT NULL,
    "completion_percentage_average" numeric(10, 0) DEFAULT NULL,
    "completion_percentage_average_hardcore" numeric(10, 0) DEFAULT NULL,
    "two_factor_secret" text DEFAULT NULL,
    "two_factor_recovery_codes" text DEFAULT NULL,
    "two_factor_confirmed_at" timestamp(0) without time zone DEFAULT NULL,
    "visible_role_id" bigint,
    "ulid" character varying(255)
);

CREATE TABLE "tickets" (
    "id" bigserial PRIMARY KEY,
    "reporter_id" bigint DEFAULT NULL,
    "type" bigint NOT NULL,
    "body" text NOT NULL,
    "created_at" timestamp(0) without time zone DEFAULT NULL,
    "resolved_at" timestamp(0) without time zone DEFAULT NULL,
    "resolver_id" bigint DEFAULT NULL,
    "state" bigint DEFAULT 1 NOT NULL,
    "updated_at" timestamp(0) without time zone DEFAULT NULL,
    "hardcore" boolean DEFAULT NULL,
    "ticketable_type" character varying(255) DEFAULT NULL,
    "ticketable_id" bigint DEFAULT NULL,
    "deleted_at" timestamp(0) without time zone DEFAULT NULL,
    "ticketable_author_id" bigint,
    "game_hash_id" bigint,
    "emulator_id" bigint,
    "emulator_version" character varying(255),
    "emulator_core" character varying(255)
);

CREATE TABLE "platforms" (
    "id" bigserial PRIMARY KEY,
    "name" character varying(255) NOT NULL,
    "execution_environment" character varying(255),
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone,
    "order_column" bigint DEFAULT 0 NOT NULL
);

CREATE TABLE "emulator_platforms" (
    "id" bigserial PRIMARY KEY,
    "emulator_id" bigint NOT NULL,
    "platform_id" bigint NOT NULL,
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone
);

CREATE TABLE "emulator_downloads" (
    "id" bigserial PRIMARY KEY,
    "emulator_id" bigint NOT NULL,
    "platform_id" bigint NOT NULL,
    "label" character varying(255),
    "url" character varying(255) NOT NULL,
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone
);

CREATE TABLE "game_hashes" (
    "id" bigserial PRIMARY KEY,
    "md5" character varying(32) DEFAULT NULL,
    "game_id" bigint NOT NULL,
    "created_at" timestamp(0) without time zone DEFAULT NULL,
    "name" character varying(255) DEFAULT NULL,
    "labels" character varying(255) DEFAULT NULL,
    "system_id" bigint DEFAULT NULL,
    "hash" character varying(255) DEFAULT NULL,
    "type" character varying(255) DEFAULT NULL,
    "crc" character varying(255) DEFAULT NULL,
    "sha1" character varying(255) DEFAULT NULL,
    "file_crc" character varying(255) DEFAULT NULL,
    "file_md5" character varying(255) DEFAULT NULL,
    "file_sha1" character varying(255) DEFAULT NULL,
    "file_name_md5" character varying(255) DEFAULT NULL,
    "description" character varying(255) DEFAULT NULL,
    "file_names" text DEFAULT NULL,
    "file_size" bigint DEFAULT NULL,
    "parent_id" bigint DEFAULT NULL,
    "regions" text DEFAULT NULL,
    "languages" text DEFAULT NULL,
    "source" character varying(255) DEFAULT NULL,
    "source_status" character varying(255) DEFAULT NULL,
    "source_version" character varying(255) DEFAULT NULL,
    "imported_at" timestamp(0) without time zone DEFAULT NULL,
    "updated_at" timestamp(0) without time zone DEFAULT NULL,
    "deleted_at" timestamp(0) without time zone DEFAULT NULL,
    "compatibility" character varying(255) DEFAULT NULL,
    "patch_url" character varying(255) DEFAULT NULL,
    "user_id" bigint DEFAULT NULL,
    "compatibility_tester_id" bigint
);

CREATE TABLE "achievement_maintainers" (
    "id" bigserial PRIMARY KEY,
    "achievement_id" bigint NOT NULL,
    "user_id" bigint NOT NULL,
    "effective_from" timestamp(0) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    "effective_until" timestamp(0) without time zone,
    "is_active" boolean DEFAULT true NOT NULL,
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone
);

CREATE TABLE "messages" (
    "id" bigserial PRIMARY KEY,
    "thread_id" bigint NOT NULL,
    "author_id" bigint NOT NULL,
    "body" text,
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone,
    "sent_by_id" bigint
);

CREATE TABLE "achievement_maintainer_unlocks" (
    "id" bigserial PRIMARY KEY,
    "player_achievement_id" bigint NOT NULL,
    "maintainer_id" bigint NOT NULL,
    "achievement_id" bigint NOT NULL
);

CREATE TABLE "achievement_sets" (
    "id" bigserial PRIMARY KEY,
    "players_total" bigint,
    "achievements_published" bigint,
    "achievements_unpublished" bigint,
    "points_total" bigint,
    "points_weighted" bigint,
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone,
    "deleted_at" timestamp(0) without time zone,
    "players_hardcore" bigint,
    "image_asset_path" character varying(255) DEFAULT '/Images/000001.png' NOT NULL,
    "achievements_first_published_at" timestamp(0) without time zone,
    "times_completed" bigint DEFAULT 0 NOT NULL,
    "times_completed_hardcore" bigint DEFAULT 0 NOT NULL,
    "median_time_to_complete" bigint,
    "median_time_to_complete_hardcore" bigint
);

CREATE TABLE "player_games" (
    "id" bigserial PRIMARY KEY,
    "user_id" bigint NOT NULL,
    "game_id" bigint NOT NULL,
    "achievements_total" bigint DEFAULT NULL,
    "achievements_unlocked" bigint DEFAULT NULL,
    "achievements_unlocked_hardcore" bigint DEFAULT NULL,
    "completion_percentage" numeric(10, 9) DEFAULT NULL,
    "completion_percentage_hardcore" numeric(10, 0) DEFAULT NULL,
    "last_played_at" timestamp(0) without time zone DEFAULT NULL,
    "time_taken" bigint DEFAULT NULL,
    "completion_dates" text DEFAULT NULL,
    "completion_dates_hardcore" text DEFAULT NULL,
    "completed_at" timestamp(0) without time zone DEFAULT NULL,
    "completed_hardcore_at" timestamp(0) without time zone DEFAULT NULL,
    "last_unlock_at" timestamp(0) without time zone DEFAULT NULL,
    "last_unlock_hardcore_at" timestamp(0) without time zone DEFAULT NULL,
    "first_unlock_at" timestamp(0) without time zone DEFAULT NULL,
    "points_total" bigint DEFAULT NULL,
    "points" bigint DEFAULT NULL,
    "points_weighted" bigint DEFAULT NULL,
    "created_at" timestamp(0) without time zone DEFAULT NULL,
    "updated_at" timestamp(0) without time zone DEFAULT NULL,
    "deleted_at" timestamp(0) without time zone DEFAULT NULL,
    "beaten_dates" text DEFAULT NULL,
    "beaten_dates_hardcore" text DEFAULT NULL,
    "beaten_at" timestamp(0) without time zone DEFAULT NULL,
    "beaten_hardcore_at" timestamp(0) without time zone DEFAULT NULL,
    "points_hardcore" bigint DEFAULT NULL,
    "achievements_unlocked_softcore" bigint,
    "playtime_total" bigint,
    "time_to_beat" bigint,
    "time_to_beat_hardcore" bigint,
    "all_achievements_total" bigint,
    "all_achievements_unlocked" bigint,
    "all_achievements_unlocked_hardcore" bigint,
    "all_points_total" bigint,
    "all_points" bigint,
    "all_points_hardcore" bigint,
    "all_points_weighted" bigint
);

CREATE TABLE "leaderboards" (
    "id" bigserial PRIMARY KEY,
    "game_id" bigint DEFAULT 0 NOT NULL,
    "trigger_definition" text NOT NULL,
    "format" character varying(50) DEFAULT '',
    "title" character varying(255) DEFAULT 'Leaderboard Title',
    "description" character varying(255) DEFAULT 'Leaderboard Description',
    "rank_asc" boolean DEFAULT false NOT NULL,
    "order_column" bigint DEFAULT 0 NOT NULL,
    "created_at" timestamp(0) without time zone DEFAULT NULL,
    "updated_at" timestamp(0) without time zone DEFAULT NULL,
    "deleted_at" timestamp(0) without time zone DEFAULT NULL,
    "author_id" bigint DEFAULT NULL,
    "trigger_id" bigint,
    "top_entry_id" bigint,
    "state" character varying(255) DEFAULT 'active' NOT NULL
);

CREATE TABLE "game_releases" (
    "id" bigserial PRIMARY KEY,
    "game_id" bigint NOT NULL,
    "released_at" timestamp(0) without time zone,
    "released_at_granularity" character varying(255),
    "title" character varying(255) NOT NULL,
    "region" character varying(255),
    "is_canonical_game_title" boolean DEFAULT false NOT NULL,
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone,
    "deleted_at" timestamp(0) without time zone
);

CREATE TABLE "game_set_roles" (
    "id" bigserial PRIMARY KEY,
    "game_set_id" bigint NOT NULL,
    "role_id" bigint NOT NULL,
    "permission" character varying(255) NOT NULL,
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone
);

CREATE TABLE "unranked_users" (
    "id" bigserial PRIMARY KEY,
    "user_id" bigint NOT NULL
);

CREATE TABLE "player_progress_resets" (
    "id" bigserial PRIMARY KEY,
    "user_id" bigint NOT NULL,
    "initiated_by_user_id" bigint,
    "type" character varying(255) NOT NULL,
    "type_id" bigint,
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone
);

CREATE TABLE "forum_topic_comments" (
    "id" bigserial PRIMARY KEY,
    "forum_topic_id" bigint DEFAULT NULL,
    "body" text NOT NULL,
    "author_id" bigint DEFAULT NULL,
    "created_at" timestamp(0) without time zone DEFAULT NULL,
    "updated_at" timestamp(0) without time zone DEFAULT CURRENT_TIMESTAMP,
    "is_authorized" bigint DEFAULT NULL,
    "authorized_at" timestamp(0) without time zone DEFAULT NULL,
    "deleted_at" timestamp(0) without time zone DEFAULT NULL,
    "sent_by_id" bigint,
    "edited_by_id" bigint
);

CREATE TABLE "viewables" (
    "id" bigserial PRIMARY KEY,
    "viewable_type" character varying(255) NOT NULL,
    "viewable_id" bigint NOT NULL,
    "user_id" bigint NOT NULL,
    "viewed_at" timestamp(0) without time zone NOT NULL
);

CREATE TABLE "achievement_groups" (
    "id" bigserial PRIMARY KEY,
    "achievement_set_id" bigint NOT NULL,
    "label" character varying(255) NOT NULL,
    "order_column" bigint DEFAULT 0 NOT NULL,
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone
);

CREATE TABLE "achievement_set_achievements" (
    "id" bigserial PRIMARY KEY,
    "achievement_set_id" bigint NOT NULL,
    "achievement_id" bigint NOT NULL,
    "order_column" bigint,
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone,
    "achievement_group_id" bigint
);

CREATE TABLE "email_confirmations" (
    "id" bigserial PRIMARY KEY,
    "user_id" bigint,
    "email_cookie" character varying(255) NOT NULL,
    "expires_at" timestamp(0) without time zone NOT NULL
);

CREATE TABLE "Achievements" (
    "id" bigserial PRIMARY KEY,
    "game_id" bigint DEFAULT NULL,
    "title" character varying(255) NOT NULL,
    "description" character varying(255) DEFAULT NULL,
    "trigger_definition" text NOT NULL,
    "points" bigint DEFAULT 0 NOT NULL,
    "created_at" timestamp(0) without time zone DEFAULT NULL,
    "modified_at" timestamp(0) without time zone DEFAULT CURRENT_TIMESTAMP,
    "image_name" character varying(255) DEFAULT '00001',
    "order_column" bigint DEFAULT 0 NOT NULL,
    "embed_url" character varying(255) DEFAULT NULL,
    "points_weighted" bigint DEFAULT 0 NOT NULL,
    "updated_at" timestamp(0) without time zone DEFAULT NULL,
    "user_id" bigint DEFAULT NULL,
    "unlocks_total" bigint DEFAULT NULL,
    "unlocks_hardcore" bigint DEFAULT NULL,
    "unlock_percentage" numeric(10, 0) DEFAULT NULL,
    "unlock_hardcore_percentage" numeric(10, 0) DEFAULT NULL,
    "deleted_at" timestamp(0) without time zone DEFAULT NULL,
    "type" character varying(255) DEFAULT NULL,
    "trigger_id" bigint,
    "is_promoted" boolean DEFAULT false NOT NULL
);

CREATE TABLE "comments" (
    "id" bigserial PRIMARY KEY,
    "commentable_id" bigint NOT NULL,
    "user_id" bigint DEFAULT NULL,
    "body" text NOT NULL,
    "created_at" timestamp(0) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    "updated_at" timestamp(0) without time zone DEFAULT NULL,
    "commentable_type" character varying(255) NOT NULL,
    "deleted_at" timestamp(0) without time zone DEFAULT NULL
);

CREATE TABLE "user_moderation_actions" (
    "id" bigserial PRIMARY KEY,
    "user_id" bigint NOT NULL,
    "actioned_by_id" bigint,
    "action" character varying(255) NOT NULL,
    "reason" text,
    "expires_at" timestamp(0) without time zone,
    "created_at" timestamp(0) without time zone
);

CREATE TABLE "user_moderation_reports" (
    "id" bigserial PRIMARY KEY,
    "reporter_user_id" bigint NOT NULL,
    "reported_user_id" bigint,
    "reportable_type" character varying(255) NOT NULL,
    "reportable_id" bigint NOT NULL,
    "message_thread_id" bigint NOT NULL,
    "created_at" timestamp(0) without time zone,
    "updated_at" timestamp(0) without time zone,
    "action_id" bigint
);

CREATE INDEX "audit_log_subject_index" ON "audit_log" ("subject_type", "subject_id");
CREATE INDEX "audit_log_causer_index" ON "audit_log" ("causer_type", "causer_id");
CREATE INDEX "audit_log_log_name_index" ON "audit_log" ("log_name");
CREATE INDEX "model_has_roles_model_id_model_type_index" ON "auth_model_roles" ("model_id", "model_type");
CREATE UNIQUE INDEX "emulator_releases_emulator_id_version_unique" ON "emulator_releases" ("emulator_id", "version");
CREATE UNIQUE INDEX "integration_releases_version_unique" ON "integration_releases" ("version");
CREATE INDEX "user_activities_subject_type_subject_id_index" ON "user_activities" ("subject_type", "subject_id");
CREATE UNIQUE INDEX "achievement_set_versions_achievement_set_id_version_unique" ON "achievement_set_versions" ("achievement_set_id", "version");
CREATE UNIQUE INDEX "game_hash_set_hashes_game_hash_set_id_game_hash_id_unique" ON "game_hash_set_hashes" ("game_hash_set_id", "game_hash_id");
CREATE UNIQUE INDEX "player_achievements_user_id_achievement_id_unique" ON "player_achievements" ("user_id", "achievement_id");
CREATE INDEX "player_achievements_unlocked_at_index" ON "player_achievements" ("unlocked_at");
CREATE UNIQUE INDEX "leaderboard_entries_leaderboard_id_user_id_unique" ON "leaderboard_entries" ("leaderboard_id", "user_id");
CREATE INDEX "player_achievements_unlocked_hardcore_at_index" ON "player_achievements" ("unlocked_hardcore_at");
CREATE INDEX "achievement_set_versions_players_total_index" ON "achievement_set_versions" ("players_total");
CREATE INDEX "achievement_set_versions_players_hardcore_index" ON "achievement_set_versions" ("players_hardcore");
CREATE UNIQUE INDEX "player_achievement_sets_user_id_achievement_set_id_unique" ON "player_achievement_sets" ("user_id", "achievement_set_id");
CREATE INDEX "IDX_1FDB85E3F7EC4085" ON "player_achievement_sets" ("achievement_set_id");
CREATE INDEX "IDX_1FDB85E3A76ED395" ON "player_achievement_sets" ("user_id");
CREATE INDEX "player_achievements_achievement_id_user_id_unlocked_hardcore_at" ON "player_achievements" ("achievement_id", "user_id", "unlocked_hardcore_at");
CREATE INDEX "player_achievements_user_date_achievement" ON "player_achievements" ("user_id", "unlocked_at", "unlocked_hardcore_at", "achievement_id");
CREATE INDEX "player_sessions_game_id_user_id_rich_presence_updated_at_index" ON "player_sessions" ("game_id", "user_id", "rich_presence_updated_at");
CREATE INDEX "player_sessions_user_id_game_id_rich_presence_updated_at_index" ON "player_sessions" ("user_id", "game_id", "rich_presence_updated_at");
CREATE UNIQUE INDEX "auth_roles_name_guard_name_unique" ON "auth_roles" ("name", "guard_name");
CREATE UNIQUE INDEX "subscription_subjecttype_subjectid_userid_unique" ON "subscriptions" ("subject_type", "subject_id", "user_id");
CREATE UNIQUE INDEX "subscription_subject_type_subject_id_user_id_unique" ON "subscriptions" ("subject_type", "subject_id", "user_id");
CREATE UNIQUE INDEX "user_game_list_entry_user_id_game_id_type_unique" ON "user_game_list_entries" ("user_id", "game_id", "type");
CREATE UNIQUE INDEX "set_hash_unique" ON "achievement_set_incompatible_game_hashes" ("achievement_set_id", "game_hash_id");
CREATE INDEX "siteawards_user_id_index" ON "user_awards" ("user_id");
CREATE INDEX "siteawards_awarddata_awardtype_awarddate_index" ON "user_awards" ("award_key", "award_type", "awarded_at");
CREATE INDEX "siteawards_awardtype_index" ON "user_awards" ("award_type");
CREATE INDEX "siteawards_user_id_awarddata_awardtype_awarddataextra_index" ON "user_awards" ("user_id", "award_key", "award_type", "award_tier");
CREATE INDEX "memory_notes_game_id_index" ON "memory_notes" ("game_id");
CREATE INDEX "memory_notes_address_index" ON "memory_notes" ("address");
CREATE INDEX "memory_notes_game_hash_set_id_address_index" ON "memory_notes" ("game_hash_set_id", "address");
CREATE INDEX "memory_notes_user_id_index" ON "memory_notes" ("user_id");
CREATE INDEX "game_set_links_parent_game_set_id_index" ON "game_set_links" ("parent_game_set_id");
CREATE INDEX "game_set_links_child_game_set_id_index" ON "game_set_links" ("child_game_set_id");
CREATE UNIQUE INDEX "game_set_links_parent_game_set_id_child_game_set_id_unique" ON "game_set_links" ("parent_game_set_id", "child_game_set_id");
CREATE UNIQUE INDEX "game_set_games_game_set_id_game_id_unique" ON "game_set_games" ("game_set_id", "game_id");
CREATE UNIQUE INDEX "achievement_authors_achievement_id_user_id_task_unique" ON "achievement_authors" ("achievement_id", "user_id", "task");
CREATE UNIQUE INDEX "unique_user_gasp" ON "user_game_achievement_set_preferences" ("user_id", "game_achievement_set_id");
CREATE INDEX "event_achievements_source_achievement_id_index" ON "event_achievements" ("source_achievement_id");
CREATE INDEX "event_achievements_active_from_index" ON "event_achievements" ("active_from");
CREATE INDEX "event_achievements_active_until_index" ON "event_achievements" ("active_until");
CREATE INDEX "emulator_user_agents_client_index" ON "emulator_user_agents" ("client");
CREATE INDEX "forums_forum_category_id_index" ON "forums" ("forum_category_id");
CREATE UNIQUE INDEX "forums_forumable_unique" ON "forums" ("forumable_model", "forumable_id");
CREATE INDEX "forum_topics_created_at_index" ON "forum_topics" ("created_at");
CREATE INDEX "forum_topics_forum_id_index" ON "forum_topics" ("forum_id");
CREATE INDEX "idx_permissions_deleted_latest" ON "forum_topics" ("required_permissions", "deleted_at", "latest_comment_id");
CREATE INDEX "game_sets_user_id_index" ON "game_sets" ("user_id");
CREATE INDEX "game_sets_forum_topic_id_index" ON "game_sets" ("forum_topic_id");
CREATE INDEX "idx_recent_entries" ON "leaderboard_entries" ("deleted_at", "updated_at", "leaderboard_id");
CREATE INDEX "gamedata_sort_title_index" ON "games" ("sort_title");
CREATE INDEX "games_players_hardcore_index" ON "games" ("players_hardcore");
CREATE INDEX "games_players_total_index" ON "games" ("players_total");
CREATE INDEX "games_released_at_index" ON "games" ("released_at");
CREATE INDEX "games_system_id_index" ON "games" ("system_id");
CREATE INDEX "games_title_index" ON "games" ("title");
CREATE UNIQUE INDEX "games_title_system_id_unique" ON "games" ("title", "system_id");
CREATE INDEX "gamedata_trigger_id_index" ON "games" ("trigger_id");
CREATE INDEX "triggers_triggerable_type_triggerable_id_index" ON "triggers" ("triggerable_type", "triggerable_id");
CREATE UNIQUE INDEX "triggers_triggerable_type_triggerable_id_version_unique" ON "triggers" ("triggerable_type", "triggerable_id", "version");
CREATE INDEX "triggers_parent_id_index" ON "triggers" ("parent_id");
CREATE UNIQUE INDEX "event_awards_event_id_tier_index_unique" ON "event_awards" ("event_id", "tier_index");
CREATE INDEX "user_usernames_username_index" ON "user_usernames" ("username");
CREATE UNIQUE INDEX "useraccounts_display_name_unique" ON "users" ("display_name");
CREATE INDEX "useraccounts_lastlogin_deleted_index" ON "users" ("last_activity_at", "deleted_at");
CREATE INDEX "users_apikey_index" ON "users" ("web_api_key");
CREATE INDEX "users_apptoken_index" ON "users" ("connect_token");
CREATE INDEX "users_points_softcore_unranked_at_index" ON "users" ("points", "unranked_at");
CREATE INDEX "users_points_unranked_at_index" ON "users" ("points_hardcore", "unranked_at");
CREATE INDEX "users_points_weighted_unranked_at_index" ON "users" ("points_weighted", "unranked_at");
CREATE INDEX "users_unranked_at_index" ON "users" ("unranked_at");
CREATE UNIQUE INDEX "users_username_unique" ON "users" ("username");
CREATE INDEX "useraccounts_visible_role_id_index" ON "users" ("visible_role_id");
CREATE UNIQUE INDEX "useraccounts_ulid_unique" ON "users" ("ulid");
CREATE UNIQUE INDEX "emulator_platforms_emulator_id_platform_id_unique" ON "emulator_platforms" ("emulator_id", "platform_id");
CREATE UNIQUE INDEX "emulator_downloads_emulator_id_platform_id_unique" ON "emulator_downloads" ("emulator_id", "platform_id");
CREATE UNIQUE INDEX "game_hashes_md5_unique" ON "game_hashes" ("md5");
CREATE UNIQUE INDEX "game_hashes_system_id_hash_unique" ON "game_hashes" ("system_id", "hash");
CREATE INDEX "achievement_sets_players_hardcore_index" ON "achievement_sets" ("players_hardcore");
CREATE INDEX "achievement_sets_players_total_index" ON "achievement_sets" ("players_total");
CREATE INDEX "idx_40515077a76ed395" ON "player_games" ("user_id");
CREATE INDEX "idx_40515077e48fd905" ON "player_games" ("game_id");
CREATE INDEX "player_games_created_at_index" ON "player_games" ("created_at");
CREATE INDEX "player_games_game_id_achievements_unlocked_hardcore_index" ON "player_games" ("game_id", "achievements_unlocked_hardcore");
CREATE INDEX "player_games_game_id_achievements_unlocked_index" ON "player_games" ("game_id", "achievements_unlocked");
CREATE INDEX "player_games_game_id_achievements_unlocked_softcore_index" ON "player_games" ("game_id", "achievements_unlocked_softcore");
CREATE INDEX "player_games_game_id_user_id_index" ON "player_games" ("game_id", "user_id");
CREATE INDEX "player_games_suggestions_index" ON "player_games" ("user_id", "achievements_unlocked", "achievements_total", "game_id");
CREATE UNIQUE INDEX "player_games_user_id_game_id_unique" ON "player_games" ("user_id", "game_id");
CREATE INDEX "leaderboarddef_trigger_id_index" ON "leaderboards" ("trigger_id");
CREATE INDEX "leaderboards_game_id_index" ON "leaderboards" ("game_id");
CREATE INDEX "game_releases_title_index" ON "game_releases" ("title");
CREATE INDEX "game_set_roles_game_set_id_permission_index" ON "game_set_roles" ("game_set_id", "permission");
CREATE UNIQUE INDEX "game_set_roles_game_set_id_role_id_permission_unique" ON "game_set_roles" ("game_set_id", "role_id", "permission");
CREATE INDEX "unranked_users_user_id_index" ON "unranked_users" ("user_id");
CREATE INDEX "player_progress_resets_user_id_type_created_at_index" ON "player_progress_resets" ("user_id", "type", "created_at");
CREATE INDEX "player_progress_resets_user_id_type_type_id_created_at_index" ON "player_progress_resets" ("user_id", "type", "type_id", "created_at");
CREATE INDEX "player_games_game_id_beaten_at_index" ON "player_games" ("game_id", "beaten_at");
CREATE INDEX "player_games_game_id_beaten_hardcore_at_index" ON "player_games" ("game_id", "beaten_hardcore_at");
CREATE INDEX "forum_topic_comments_author_id_created_at_index" ON "forum_topic_comments" ("author_id", "created_at");
CREATE INDEX "forum_topic_comments_created_at_index" ON "forum_topic_comments" ("created_at");
CREATE INDEX "forum_topic_comments_forum_topic_id_index" ON "forum_topic_comments" ("forum_topic_id");
CREATE UNIQUE INDEX "viewables_viewable_type_viewable_id_user_id_unique" ON "viewables" ("viewable_type", "viewable_id", "user_id");
CREATE INDEX "viewables_user_id_index" ON "viewables" ("user_id");
CREATE UNIQUE INDEX "game_achievement_sets_game_id_title_unique" ON "game_achievement_sets" ("game_id", "title");
CREATE INDEX "achievement_groups_achievement_set_id_order_column_index" ON "achievement_groups" ("achievement_set_id", "order_column");
CREATE UNIQUE INDEX "achievement_set_achievement_unique" ON "achievement_set_achievements" ("achievement_set_id", "achievement_id");
CREATE INDEX "game_sets_sort_title_index" ON "game_sets" ("sort_title");
CREATE INDEX "emailconfirmations_emailcookie_index" ON "email_confirmations" ("email_cookie");
CREATE INDEX "user_game_list_entries_game_id_type_index" ON "user_game_list_entries" ("game_id", "type");
CREATE INDEX "achievements_points_index" ON "Achievements" ("points");
CREATE INDEX "achievements_trigger_id_index" ON "Achievements" ("trigger_id");
CREATE INDEX "achievements_type_index" ON "Achievements" ("type");
CREATE INDEX "achievements_game_id_is_promoted_index" ON "Achievements" ("game_id", "is_promoted");
CREATE INDEX "achievements_game_id_index" ON "Achievements" ("game_id");
CREATE INDEX "achievements_points_weighted_index" ON "Achievements" ("points_weighted");
CREATE INDEX "achievements_game_id_modified_at_deleted_at_index" ON "Achievements" ("game_id", "modified_at", "deleted_at");
CREATE INDEX "comments_commentable_id_index" ON "comments" ("commentable_id");
CREATE INDEX "comments_user_id_created_at_index" ON "comments" ("user_id", "created_at");
CREATE INDEX "tickets_created_at_index" ON "tickets" ("created_at");
CREATE INDEX "tickets_ticketable_index" ON "tickets" ("ticketable_type", "ticketable_id");
CREATE INDEX "tickets_ticketable_state_index" ON "tickets" ("ticketable_type", "ticketable_id", "state", "deleted_at");
CREATE INDEX "user_moderation_actions_user_id_created_at_index" ON "user_moderation_actions" ("user_id", "created_at");
CREATE INDEX "idx_reportable" ON "user_moderation_reports" ("reportable_type", "reportable_id");
CREATE INDEX "user_moderation_reports_reported_user_id_index" ON "user_moderation_reports" ("reported_user_id");
CREATE INDEX "user_moderation_reports_reporter_user_id_index" ON "user_moderation_reports" ("reporter_user_id");
CREATE INDEX "player_achievements_achievement_id_unlocked_effective_at_index" ON "player_achievements" ("achievement_id", "unlocked_effective_at");
CREATE INDEX "users_username_unranked_at_index" ON "users" ("username", "unranked_at");
CREATE INDEX "users_unranked_at_points_index" ON "users" ("unranked_at", "points_hardcore");

ALTER TABLE ONLY "auth_model_roles" ADD FOREIGN KEY ("role_id") REFERENCES "auth_roles"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "system_emulators" ADD FOREIGN KEY ("system_id") REFERENCES "systems"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "system_emulators" ADD FOREIGN KEY ("emulator_id") REFERENCES "emulators"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "emulator_releases" ADD FOREIGN KEY ("emulator_id") REFERENCES "emulators"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "user_activities" ADD FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "game_set_games" ADD FOREIGN KEY ("game_set_id") REFERENCES "game_sets"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "game_set_games" ADD FOREIGN KEY ("game_id") REFERENCES "games"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "achievement_set_versions" ADD FOREIGN KEY ("achievement_set_id") REFERENCES "achievement_sets"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "achievement_set_authors" ADD FOREIGN KEY ("achievement_set_id") REFERENCES "achievement_sets"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "achievement_set_authors" ADD FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "game_achievement_sets" ADD FOREIGN KEY ("game_id") REFERENCES "games"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "game_achievement_sets" ADD FOREIGN KEY ("achievement_set_id") REFERENCES "achievement_sets"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "game_hash_sets" ADD FOREIGN KEY ("game_id") REFERENCES "games"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "game_hash_set_hashes" ADD FOREIGN KEY ("game_hash_set_id") REFERENCES "game_hash_sets"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "game_hash_set_hashes" ADD FOREIGN KEY ("game_hash_id") REFERENCES "game_hashes"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "player_sessions" ADD FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL;
ALTER TABLE ONLY "player_sessions" ADD FOREIGN KEY ("game_id") REFERENCES "games"("id") ON DELETE SET NULL;
ALTER TABLE ONLY "player_sessions" ADD FOREIGN KEY ("game_hash_set_id") REFERENCES "game_hash_sets"("id") ON DELETE SET NULL;
ALTER TABLE ONLY "player_sessions" ADD FOREIGN KEY ("game_hash_id") REFERENCES "game_hashes"("id") ON DELETE SET NULL;
ALTER TABLE ONLY "player_achievements" ADD FOREIGN KEY ("achievement_id") REFERENCES "Achievements"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "player_achievements" ADD FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "player_achievements" ADD FOREIGN KEY ("trigger_id") REFERENCES "triggers"("id") ON DELETE SET NULL;
ALTER TABLE ONLY "player_achievements" ADD FOREIGN KEY ("player_session_id") REFERENCES "player_sessions"("id") ON DELETE SET NULL;
ALTER TABLE ONLY "player_achievements" ADD FOREIGN KEY ("unlocker_id") REFERENCES "users"("id") ON DELETE SET NULL;
ALTER TABLE ONLY "leaderboard_entries" ADD FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "leaderboard_entries" ADD FOREIGN KEY ("trigger_id") REFERENCES "triggers"("id") ON DELETE SET NULL;
ALTER TABLE ONLY "leaderboard_entries" ADD FOREIGN KEY ("player_session_id") REFERENCES "player_sessions"("id") ON DELETE SET NULL;
ALTER TABLE ONLY "player_achievement_sets" ADD FOREIGN KEY ("achievement_set_id") REFERENCES "achievement_sets"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "player_achievement_sets" ADD FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "message_thread_participants" ADD FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "message_thread_participants" ADD FOREIGN KEY ("thread_id") REFERENCES "message_threads"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "achievement_set_incompatible_game_hashes" ADD FOREIGN KEY ("achievement_set_id") REFERENCES "achievement_sets"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "achievement_set_incompatible_game_hashes" ADD FOREIGN KEY ("game_hash_id") REFERENCES "game_hashes"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "game_set_links" ADD FOREIGN KEY ("parent_game_set_id") REFERENCES "game_sets"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "game_set_links" ADD FOREIGN KEY ("child_game_set_id") REFERENCES "game_sets"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "achievement_authors" ADD FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "achievement_authors" ADD FOREIGN KEY ("achievement_id") REFERENCES "Achievements"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "user_game_achievement_set_preferences" ADD FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "user_game_achievement_set_preferences" ADD FOREIGN KEY ("game_achievement_set_id") REFERENCES "game_achievement_sets"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "event_achievements" ADD FOREIGN KEY ("achievement_id") REFERENCES "Achievements"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "event_achievements" ADD FOREIGN KEY ("source_achievement_id") REFERENCES "Achievements"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "emulator_user_agents" ADD FOREIGN KEY ("emulator_id") REFERENCES "emulators"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "forums" ADD FOREIGN KEY ("forum_category_id") REFERENCES "forum_categories"("id") ON DELETE SET NULL;
ALTER TABLE ONLY "forum_topics" ADD FOREIGN KEY ("forum_id") REFERENCES "forums"("id") ON DELETE SET NULL;
ALTER TABLE ONLY "forum_topics" ADD FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE SET NULL;
ALTER TABLE ONLY "news" ADD FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL;
ALTER TABLE ONLY "game_sets" ADD FOREIGN KEY ("game_id") REFERENCES "games"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "game_sets" ADD FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL;
ALTER TABLE ONLY "game_sets" ADD FOREIGN KEY ("forum_topic_id") REFERENCES "forum_topics"("id") ON DELETE SET NULL;
ALTER TABLE ONLY "events" ADD FOREIGN KEY ("legacy_game_id") REFERENCES "games"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "games" ADD FOREIGN KEY ("trigger_id") REFERENCES "triggers"("id") ON DELETE SET NULL;
ALTER TABLE ONLY "triggers" ADD FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL;
ALTER TABLE ONLY "triggers" ADD FOREIGN KEY ("parent_id") REFERENCES "triggers"("id") ON DELETE SET NULL;
ALTER TABLE ONLY "event_awards" ADD FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "user_usernames" ADD FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL;
ALTER TABLE ONLY "users" ADD FOREIGN KEY ("visible_role_id") REFERENCES "auth_roles"("id") ON DELETE SET NULL;
ALTER TABLE ONLY "tickets" ADD FOREIGN KEY ("game_hash_id") REFERENCES "game_hashes"("id") ON DELETE SET NULL;
ALTER TABLE ONLY "tickets" ADD FOREIGN KEY ("emulator_id") REFERENCES "emulators"("id") ON DELETE SET NULL;
ALTER TABLE ONLY "emulator_platforms" ADD FOREIGN KEY ("emulator_id") REFERENCES "emulators"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "emulator_platforms" ADD FOREIGN KEY ("platform_id") REFERENCES "platforms"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "emulator_downloads" ADD FOREIGN KEY ("emulator_id") REFERENCES "emulators"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "emulator_downloads" ADD FOREIGN KEY ("platform_id") REFERENCES "platforms"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "game_hashes" ADD FOREIGN KEY ("compatibility_tester_id") REFERENCES "users"("id") ON DELETE SET NULL;
ALTER TABLE ONLY "achievement_maintainers" ADD FOREIGN KEY ("achievement_id") REFERENCES "Achievements"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "achievement_maintainers" ADD FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "messages" ADD FOREIGN KEY ("thread_id") REFERENCES "message_threads"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "messages" ADD FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "messages" ADD FOREIGN KEY ("sent_by_id") REFERENCES "users"("id") ON DELETE SET NULL;
ALTER TABLE ONLY "achievement_maintainer_unlocks" ADD FOREIGN KEY ("player_achievement_id") REFERENCES "player_achievements"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "achievement_maintainer_unlocks" ADD FOREIGN KEY ("maintainer_id") REFERENCES "users"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "achievement_maintainer_unlocks" ADD FOREIGN KEY ("achievement_id") REFERENCES "Achievements"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "player_games" ADD FOREIGN KEY ("game_id") REFERENCES "games"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "player_games" ADD FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "leaderboards" ADD FOREIGN KEY ("trigger_id") REFERENCES "triggers"("id") ON DELETE SET NULL;
ALTER TABLE ONLY "leaderboards" ADD FOREIGN KEY ("top_entry_id") REFERENCES "leaderboard_entries"("id") ON DELETE SET NULL;
ALTER TABLE ONLY "game_releases" ADD FOREIGN KEY ("game_id") REFERENCES "games"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "game_set_roles" ADD FOREIGN KEY ("game_set_id") REFERENCES "game_sets"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "game_set_roles" ADD FOREIGN KEY ("role_id") REFERENCES "auth_roles"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "unranked_users" ADD FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "player_progress_resets" ADD FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "player_progress_resets" ADD FOREIGN KEY ("initiated_by_user_id") REFERENCES "users"("id") ON DELETE SET NULL;
ALTER TABLE ONLY "forum_topic_comments" ADD FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE SET NULL;
ALTER TABLE ONLY "forum_topic_comments" ADD FOREIGN KEY ("forum_topic_id") REFERENCES "forum_topics"("id") ON DELETE SET NULL;
ALTER TABLE ONLY "forum_topic_comments" ADD FOREIGN KEY ("sent_by_id") REFERENCES "users"("id") ON DELETE SET NULL;
ALTER TABLE ONLY "forum_topic_comments" ADD FOREIGN KEY ("edited_by_id") REFERENCES "users"("id") ON DELETE SET NULL;
ALTER TABLE ONLY "viewables" ADD FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "achievement_groups" ADD FOREIGN KEY ("achievement_set_id") REFERENCES "achievement_sets"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "achievement_set_achievements" ADD FOREIGN KEY ("achievement_id") REFERENCES "Achievements"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "achievement_set_achievements" ADD FOREIGN KEY ("achievement_set_id") REFERENCES "achievement_sets"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "achievement_set_achievements" ADD FOREIGN KEY ("achievement_group_id") REFERENCES "achievement_groups"("id") ON DELETE SET NULL;
ALTER TABLE ONLY "Achievements" ADD FOREIGN KEY ("trigger_id") REFERENCES "triggers"("id") ON DELETE SET NULL;
ALTER TABLE ONLY "user_moderation_actions" ADD FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "user_moderation_actions" ADD FOREIGN KEY ("actioned_by_id") REFERENCES "users"("id") ON DELETE SET NULL;
ALTER TABLE ONLY "user_moderation_reports" ADD FOREIGN KEY ("message_thread_id") REFERENCES "message_threads"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "user_moderation_reports" ADD FOREIGN KEY ("reported_user_id") REFERENCES "users"("id") ON DELETE SET NULL;
ALTER TABLE ONLY "user_moderation_reports" ADD FOREIGN KEY ("reporter_user_id") REFERENCES "users"("id") ON DELETE CASCADE;
ALTER TABLE ONLY "user_moderation_reports" ADD FOREIGN KEY ("action_id") REFERENCES "user_moderation_actions"("id") ON DELETE SET NULL;
