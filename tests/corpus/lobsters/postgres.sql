-- Lobsters (lobsters/lobsters) db/schema.rb rendered as PostgreSQL DDL by the rules Rails uses on PostgreSQL.
-- Lobsters runs on MariaDB only: the MySQL-only options (unsigned, charset/collation, FULLTEXT indexes,
-- prefix index length) are dropped; the view replying_comments is omitted. See NOTES.md.
CREATE TABLE "comments" (
    "id" bigserial NOT NULL,
    "created_at" timestamp without time zone NOT NULL,
    "updated_at" timestamp without time zone,
    "short_id" character varying(10) DEFAULT '' NOT NULL,
    "story_id" bigint NOT NULL,
    "user_id" bigint NOT NULL,
    "parent_comment_id" bigint,
    "thread_id" bigint,
    "comment" text NOT NULL,
    "upvotes" integer DEFAULT 0 NOT NULL,
    "downvotes" integer DEFAULT 0 NOT NULL,
    "confidence" numeric(20,19) DEFAULT 0.0 NOT NULL,
    "markeddown_comment" text,
    "is_deleted" boolean DEFAULT false,
    "is_moderated" boolean DEFAULT false,
    "is_from_email" boolean DEFAULT false,
    "hat_id" bigint,
    PRIMARY KEY ("id")
);
CREATE INDEX "confidence_idx" ON "comments" ("confidence");
CREATE INDEX "comments_hat_id_fk" ON "comments" ("hat_id");
CREATE INDEX "comments_parent_comment_id_fk" ON "comments" ("parent_comment_id");
CREATE UNIQUE INDEX "short_id" ON "comments" ("short_id");
CREATE INDEX "story_id_short_id" ON "comments" ("story_id", "short_id");
CREATE INDEX "thread_id" ON "comments" ("thread_id");
CREATE INDEX "downvote_index" ON "comments" ("user_id", "story_id", "downvotes", "created_at");
CREATE INDEX "index_comments_on_user_id" ON "comments" ("user_id");

CREATE TABLE "conversations" (
    "id" bigserial NOT NULL,
    "created_at" timestamp without time zone NOT NULL,
    "updated_at" timestamp without time zone NOT NULL,
    "short_id" character varying NOT NULL,
    "subject" character varying NOT NULL,
    "author_user_id" bigint NOT NULL,
    "recipient_user_id" bigint NOT NULL,
    "deleted_by_author_at" timestamp without time zone,
    "deleted_by_recipient_at" timestamp without time zone,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_conversations_on_author_user_id" ON "conversations" ("author_user_id");
CREATE INDEX "index_conversations_on_recipient_user_id" ON "conversations" ("recipient_user_id");

CREATE TABLE "hat_requests" (
    "id" bigserial NOT NULL,
    "created_at" timestamp without time zone,
    "updated_at" timestamp without time zone,
    "user_id" bigint NOT NULL,
    "hat" character varying,
    "link" character varying,
    "comment" text,
    PRIMARY KEY ("id")
);
CREATE INDEX "hat_requests_user_id_fk" ON "hat_requests" ("user_id");

CREATE TABLE "hats" (
    "id" bigserial NOT NULL,
    "created_at" timestamp without time zone,
    "updated_at" timestamp without time zone,
    "user_id" bigint NOT NULL,
    "granted_by_user_id" bigint NOT NULL,
    "hat" character varying NOT NULL,
    "link" character varying,
    "modlog_use" boolean DEFAULT false,
    "doffed_at" timestamp without time zone,
    PRIMARY KEY ("id")
);
CREATE INDEX "hats_granted_by_user_id_fk" ON "hats" ("granted_by_user_id");
CREATE INDEX "hats_user_id_fk" ON "hats" ("user_id");

CREATE TABLE "hidden_stories" (
    "id" bigserial NOT NULL,
    "user_id" bigint NOT NULL,
    "story_id" bigint NOT NULL,
    PRIMARY KEY ("id")
);
CREATE INDEX "hidden_stories_story_id_fk" ON "hidden_stories" ("story_id");
CREATE UNIQUE INDEX "index_hidden_stories_on_user_id_and_story_id" ON "hidden_stories" ("user_id", "story_id");

CREATE TABLE "invitation_requests" (
    "id" bigserial NOT NULL,
    "code" character varying,
    "is_verified" boolean DEFAULT false,
    "email" character varying,
    "name" character varying,
    "memo" text,
    "ip_address" character varying,
    "created_at" timestamp without time zone NOT NULL,
    "updated_at" timestamp without time zone NOT NULL,
    PRIMARY KEY ("id")
);

CREATE TABLE "invitations" (
    "id" bigserial NOT NULL,
    "user_id" bigint NOT NULL,
    "email" character varying,
    "code" character varying,
    "created_at" timestamp without time zone NOT NULL,
    "updated_at" timestamp without time zone NOT NULL,
    "memo" text,
    "used_at" timestamp without time zone,
    "new_user_id" bigint,
    PRIMARY KEY ("id")
);
CREATE INDEX "invitations_new_user_id_fk" ON "invitations" ("new_user_id");
CREATE INDEX "invitations_user_id_fk" ON "invitations" ("user_id");

CREATE TABLE "keystores" (
    "key" character varying(50) DEFAULT '' NOT NULL,
    "value" bigint
);
CREATE UNIQUE INDEX "key" ON "keystores" ("key");

CREATE TABLE "messages" (
    "id" bigserial NOT NULL,
    "created_at" timestamp without time zone,
    "author_user_id" bigint NOT NULL,
    "recipient_user_id" bigint NOT NULL,
    "has_been_read" boolean DEFAULT false,
    "subject" character varying(100),
    "body" text,
    "short_id" character varying(30),
    "deleted_by_author" boolean DEFAULT false,
    "deleted_by_recipient" boolean DEFAULT false,
    "hat_id" bigint,
    "conversation_id" bigint NOT NULL,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_messages_on_conversation_id" ON "messages" ("conversation_id");
CREATE INDEX "index_messages_on_hat_id" ON "messages" ("hat_id");
CREATE INDEX "messages_recipient_user_id_fk" ON "messages" ("recipient_user_id");
CREATE UNIQUE INDEX "random_hash" ON "messages" ("short_id");

CREATE TABLE "mod_notes" (
    "id" bigserial NOT NULL,
    "moderator_user_id" bigint NOT NULL,
    "user_id" bigint NOT NULL,
    "note" text NOT NULL,
    "markeddown_note" text NOT NULL,
    "created_at" timestamp without time zone NOT NULL,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_mod_notes_on_id_and_user_id" ON "mod_notes" ("id", "user_id");
CREATE INDEX "mod_notes_moderator_user_id_fk" ON "mod_notes" ("moderator_user_id");
CREATE INDEX "mod_notes_user_id_fk" ON "mod_notes" ("user_id");

CREATE TABLE "moderations" (
    "id" bigserial NOT NULL,
    "created_at" timestamp without time zone NOT NULL,
    "updated_at" timestamp without time zone NOT NULL,
    "moderator_user_id" bigint,
    "story_id" bigint,
    "comment_id" bigint,
    "user_id" bigint,
    "action" text,
    "reason" text,
    "is_from_suggestions" boolean DEFAULT false,
    "tag_id" bigint,
    PRIMARY KEY ("id")
);
CREATE INDEX "moderations_comment_id_fk" ON "moderations" ("comment_id");
CREATE INDEX "index_moderations_on_created_at" ON "moderations" ("created_at");
CREATE INDEX "moderations_moderator_user_id_fk" ON "moderations" ("moderator_user_id");
CREATE INDEX "moderations_story_id_fk" ON "moderations" ("story_id");
CREATE INDEX "moderations_tag_id_fk" ON "moderations" ("tag_id");

CREATE TABLE "read_ribbons" (
    "id" bigserial NOT NULL,
    "is_following" boolean DEFAULT true,
    "created_at" timestamp without time zone NOT NULL,
    "updated_at" timestamp without time zone NOT NULL,
    "user_id" bigint NOT NULL,
    "story_id" bigint NOT NULL,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_read_ribbons_on_story_id" ON "read_ribbons" ("story_id");
CREATE INDEX "index_read_ribbons_on_user_id" ON "read_ribbons" ("user_id");

CREATE TABLE "saved_stories" (
    "id" bigserial NOT NULL,
    "created_at" timestamp without time zone NOT NULL,
    "updated_at" timestamp without time zone NOT NULL,
    "user_id" bigint NOT NULL,
    "story_id" bigint NOT NULL,
    PRIMARY KEY ("id")
);
CREATE INDEX "saved_stories_story_id_fk" ON "saved_stories" ("story_id");
CREATE UNIQUE INDEX "index_saved_stories_on_user_id_and_story_id" ON "saved_stories" ("user_id", "story_id");

CREATE TABLE "stories" (
    "id" bigserial NOT NULL,
    "created_at" timestamp without time zone,
    "user_id" bigint NOT NULL,
    "url" character varying(250) DEFAULT '',
    "title" character varying(150) DEFAULT '' NOT NULL,
    "description" text,
    "short_id" character varying(6) DEFAULT '' NOT NULL,
    "is_expired" boolean DEFAULT false NOT NULL,
    "upvotes" integer DEFAULT 0 NOT NULL,
    "downvotes" integer DEFAULT 0 NOT NULL,
    "is_moderated" boolean DEFAULT false NOT NULL,
    "hotness" numeric(20,10) DEFAULT 0.0 NOT NULL,
    "markeddown_description" text,
    "story_cache" text,
    "comments_count" integer DEFAULT 0 NOT NULL,
    "merged_story_id" bigint,
    "unavailable_at" timestamp without time zone,
    "twitter_id" character varying(20),
    "user_is_author" boolean DEFAULT false,
    "user_is_following" boolean DEFAULT false NOT NULL,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_stories_on_created_at" ON "stories" ("created_at");
CREATE INDEX "hotness_idx" ON "stories" ("hotness");
CREATE INDEX "is_idxes" ON "stories" ("is_expired", "is_moderated");
CREATE INDEX "index_stories_on_is_expired" ON "stories" ("is_expired");
CREATE INDEX "index_stories_on_is_moderated" ON "stories" ("is_moderated");
CREATE INDEX "index_stories_on_merged_story_id" ON "stories" ("merged_story_id");
CREATE UNIQUE INDEX "unique_short_id" ON "stories" ("short_id");
CREATE INDEX "index_stories_on_twitter_id" ON "stories" ("twitter_id");
CREATE INDEX "url" ON "stories" ("url");
CREATE INDEX "index_stories_on_user_id" ON "stories" ("user_id");

CREATE TABLE "suggested_taggings" (
    "id" bigserial NOT NULL,
    "story_id" bigint NOT NULL,
    "tag_id" bigint NOT NULL,
    "user_id" bigint NOT NULL,
    PRIMARY KEY ("id")
);
CREATE INDEX "suggested_taggings_story_id_fk" ON "suggested_taggings" ("story_id");
CREATE INDEX "suggested_taggings_tag_id_fk" ON "suggested_taggings" ("tag_id");
CREATE INDEX "suggested_taggings_user_id_fk" ON "suggested_taggings" ("user_id");

CREATE TABLE "suggested_titles" (
    "id" bigserial NOT NULL,
    "story_id" bigint NOT NULL,
    "user_id" bigint NOT NULL,
    "title" character varying(150) DEFAULT '' NOT NULL,
    PRIMARY KEY ("id")
);
CREATE INDEX "suggested_titles_story_id_fk" ON "suggested_titles" ("story_id");
CREATE INDEX "suggested_titles_user_id_fk" ON "suggested_titles" ("user_id");

CREATE TABLE "tag_filters" (
    "id" bigserial NOT NULL,
    "created_at" timestamp without time zone NOT NULL,
    "updated_at" timestamp without time zone NOT NULL,
    "user_id" bigint NOT NULL,
    "tag_id" bigint NOT NULL,
    PRIMARY KEY ("id")
);
CREATE INDEX "tag_filters_tag_id_fk" ON "tag_filters" ("tag_id");
CREATE INDEX "user_tag_idx" ON "tag_filters" ("user_id", "tag_id");

CREATE TABLE "taggings" (
    "id" bigserial NOT NULL,
    "story_id" bigint NOT NULL,
    "tag_id" bigint NOT NULL,
    PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "story_id_tag_id" ON "taggings" ("story_id", "tag_id");
CREATE INDEX "taggings_tag_id_fk" ON "taggings" ("tag_id");

CREATE TABLE "tags" (
    "id" bigserial NOT NULL,
    "tag" character varying(25) NOT NULL,
    "description" character varying(100),
    "privileged" boolean DEFAULT false,
    "is_media" boolean DEFAULT false,
    "inactive" boolean DEFAULT false,
    "hotness_mod" double precision DEFAULT 0.0,
    PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "tag" ON "tags" ("tag");

CREATE TABLE "users" (
    "id" bigserial NOT NULL,
    "username" character varying(50),
    "email" character varying(100),
    "password_digest" character varying(75),
    "created_at" timestamp without time zone,
    "is_admin" boolean DEFAULT false,
    "password_reset_token" character varying(75),
    "session_token" character varying(75) DEFAULT '' NOT NULL,
    "about" text,
    "invited_by_user_id" bigint,
    "is_moderator" boolean DEFAULT false,
    "pushover_mentions" boolean DEFAULT false,
    "rss_token" character varying(75),
    "mailing_list_token" character varying(75),
    "mailing_list_mode" integer DEFAULT 0,
    "karma" integer DEFAULT 0 NOT NULL,
    "banned_at" timestamp without time zone,
    "banned_by_user_id" bigint,
    "banned_reason" character varying(200),
    "deleted_at" timestamp without time zone,
    "disabled_invite_at" timestamp without time zone,
    "disabled_invite_by_user_id" bigint,
    "disabled_invite_reason" character varying(200),
    "settings" text,
    PRIMARY KEY ("id")
);
CREATE INDEX "users_banned_by_user_id_fk" ON "users" ("banned_by_user_id");
CREATE INDEX "users_disabled_invite_by_user_id_fk" ON "users" ("disabled_invite_by_user_id");
CREATE INDEX "users_invited_by_user_id_fk" ON "users" ("invited_by_user_id");
CREATE INDEX "mailing_list_enabled" ON "users" ("mailing_list_mode");
CREATE UNIQUE INDEX "mailing_list_token" ON "users" ("mailing_list_token");
CREATE UNIQUE INDEX "password_reset_token" ON "users" ("password_reset_token");
CREATE UNIQUE INDEX "rss_token" ON "users" ("rss_token");
CREATE UNIQUE INDEX "session_hash" ON "users" ("session_token");
CREATE UNIQUE INDEX "username" ON "users" ("username");

CREATE TABLE "votes" (
    "id" bigserial NOT NULL,
    "user_id" bigint NOT NULL,
    "story_id" bigint NOT NULL,
    "comment_id" bigint,
    "vote" smallint NOT NULL,
    "reason" character varying(1),
    "updated_at" timestamp without time zone NOT NULL,
    PRIMARY KEY ("id")
);
CREATE INDEX "index_votes_on_comment_id" ON "votes" ("comment_id");
CREATE INDEX "votes_story_id_fk" ON "votes" ("story_id");
CREATE INDEX "user_id_comment_id" ON "votes" ("user_id", "comment_id");
CREATE INDEX "user_id_story_id" ON "votes" ("user_id", "story_id");

ALTER TABLE ONLY "comments" ADD CONSTRAINT "comments_parent_comment_id_fk" FOREIGN KEY ("parent_comment_id") REFERENCES "comments"("id");
ALTER TABLE ONLY "comments" ADD CONSTRAINT "comments_hat_id_fk" FOREIGN KEY ("hat_id") REFERENCES "hats"("id");
ALTER TABLE ONLY "comments" ADD CONSTRAINT "comments_story_id_fk" FOREIGN KEY ("story_id") REFERENCES "stories"("id");
ALTER TABLE ONLY "comments" ADD CONSTRAINT "comments_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id");
ALTER TABLE ONLY "hat_requests" ADD CONSTRAINT "hat_requests_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id");
ALTER TABLE ONLY "hats" ADD CONSTRAINT "hats_granted_by_user_id_fk" FOREIGN KEY ("granted_by_user_id") REFERENCES "users"("id");
ALTER TABLE ONLY "hats" ADD CONSTRAINT "hats_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id");
ALTER TABLE ONLY "hidden_stories" ADD CONSTRAINT "hidden_stories_story_id_fk" FOREIGN KEY ("story_id") REFERENCES "stories"("id");
ALTER TABLE ONLY "hidden_stories" ADD CONSTRAINT "hidden_stories_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id");
ALTER TABLE ONLY "invitations" ADD CONSTRAINT "invitations_new_user_id_fk" FOREIGN KEY ("new_user_id") REFERENCES "users"("id");
ALTER TABLE ONLY "invitations" ADD CONSTRAINT "invitations_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id");
ALTER TABLE ONLY "messages" ADD CONSTRAINT "messages_hat_id_fk" FOREIGN KEY ("hat_id") REFERENCES "hats"("id");
ALTER TABLE ONLY "messages" ADD CONSTRAINT "messages_recipient_user_id_fk" FOREIGN KEY ("recipient_user_id") REFERENCES "users"("id");
ALTER TABLE ONLY "mod_notes" ADD CONSTRAINT "mod_notes_moderator_user_id_fk" FOREIGN KEY ("moderator_user_id") REFERENCES "users"("id");
ALTER TABLE ONLY "mod_notes" ADD CONSTRAINT "mod_notes_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id");
ALTER TABLE ONLY "moderations" ADD CONSTRAINT "moderations_comment_id_fk" FOREIGN KEY ("comment_id") REFERENCES "comments"("id");
ALTER TABLE ONLY "moderations" ADD CONSTRAINT "moderations_story_id_fk" FOREIGN KEY ("story_id") REFERENCES "stories"("id");
ALTER TABLE ONLY "moderations" ADD CONSTRAINT "moderations_tag_id_fk" FOREIGN KEY ("tag_id") REFERENCES "tags"("id");
ALTER TABLE ONLY "moderations" ADD CONSTRAINT "moderations_moderator_user_id_fk" FOREIGN KEY ("moderator_user_id") REFERENCES "users"("id");
ALTER TABLE ONLY "read_ribbons" ADD CONSTRAINT "read_ribbons_story_id_fk" FOREIGN KEY ("story_id") REFERENCES "stories"("id");
ALTER TABLE ONLY "read_ribbons" ADD CONSTRAINT "read_ribbons_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id");
ALTER TABLE ONLY "saved_stories" ADD CONSTRAINT "saved_stories_story_id_fk" FOREIGN KEY ("story_id") REFERENCES "stories"("id");
ALTER TABLE ONLY "saved_stories" ADD CONSTRAINT "saved_stories_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id");
ALTER TABLE ONLY "stories" ADD CONSTRAINT "stories_merged_story_id_fk" FOREIGN KEY ("merged_story_id") REFERENCES "stories"("id");
ALTER TABLE ONLY "stories" ADD CONSTRAINT "stories_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id");
ALTER TABLE ONLY "suggested_taggings" ADD CONSTRAINT "suggested_taggings_story_id_fk" FOREIGN KEY ("story_id") REFERENCES "stories"("id");
ALTER TABLE ONLY "suggested_taggings" ADD CONSTRAINT "suggested_taggings_tag_id_fk" FOREIGN KEY ("tag_id") REFERENCES "tags"("id");
ALTER TABLE ONLY "suggested_taggings" ADD CONSTRAINT "suggested_taggings_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id");
ALTER TABLE ONLY "suggested_titles" ADD CONSTRAINT "suggested_titles_story_id_fk" FOREIGN KEY ("story_id") REFERENCES "stories"("id");
ALTER TABLE ONLY "suggested_titles" ADD CONSTRAINT "suggested_titles_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id");
ALTER TABLE ONLY "tag_filters" ADD CONSTRAINT "tag_filters_tag_id_fk" FOREIGN KEY ("tag_id") REFERENCES "tags"("id");
ALTER TABLE ONLY "tag_filters" ADD CONSTRAINT "tag_filters_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id");
ALTER TABLE ONLY "taggings" ADD CONSTRAINT "taggings_story_id_fk" FOREIGN KEY ("story_id") REFERENCES "stories"("id");
ALTER TABLE ONLY "taggings" ADD CONSTRAINT "taggings_tag_id_fk" FOREIGN KEY ("tag_id") REFERENCES "tags"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE ONLY "users" ADD CONSTRAINT "users_banned_by_user_id_fk" FOREIGN KEY ("banned_by_user_id") REFERENCES "users"("id");
ALTER TABLE ONLY "users" ADD CONSTRAINT "users_disabled_invite_by_user_id_fk" FOREIGN KEY ("disabled_invite_by_user_id") REFERENCES "users"("id");
ALTER TABLE ONLY "users" ADD CONSTRAINT "users_invited_by_user_id_fk" FOREIGN KEY ("invited_by_user_id") REFERENCES "users"("id");
ALTER TABLE ONLY "votes" ADD CONSTRAINT "votes_comment_id_fk" FOREIGN KEY ("comment_id") REFERENCES "comments"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE ONLY "votes" ADD CONSTRAINT "votes_story_id_fk" FOREIGN KEY ("story_id") REFERENCES "stories"("id");
ALTER TABLE ONLY "votes" ADD CONSTRAINT "votes_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id");
