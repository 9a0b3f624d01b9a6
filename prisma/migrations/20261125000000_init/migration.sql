-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Platform" AS ENUM ('slack', 'discord', 'github', 'cli', 'mcp');

-- CreateEnum
CREATE TYPE "RequestKind" AS ENUM ('build', 'iterate');

-- CreateEnum
CREATE TYPE "RequestStatus" AS ENUM ('queued', 'running', 'succeeded', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "AgentRunStatus" AS ENUM ('running', 'succeeded', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "PullRequestState" AS ENUM ('open', 'closed', 'merged');

-- CreateTable
CREATE TABLE "platform_identities" (
    "id" UUID NOT NULL,
    "platform" "Platform" NOT NULL,
    "external_id" TEXT NOT NULL,
    "display_name" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "platform_identities_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "installations" (
    "id" UUID NOT NULL,
    "platform" "Platform" NOT NULL,
    "external_id" TEXT NOT NULL,
    "name" TEXT,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "installations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "projects" (
    "id" UUID NOT NULL,
    "installation_id" UUID,
    "owner_id" UUID,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "description" TEXT,
    "status" TEXT NOT NULL DEFAULT 'active',
    "config" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "projects_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "generation_requests" (
    "id" UUID NOT NULL,
    "kind" "RequestKind" NOT NULL DEFAULT 'build',
    "prompt" TEXT NOT NULL,
    "source_platform" "Platform" NOT NULL,
    "thread_ref" JSONB NOT NULL DEFAULT '{}',
    "idempotency_key" TEXT NOT NULL,
    "status" "RequestStatus" NOT NULL DEFAULT 'queued',
    "stage" TEXT,
    "percent" INTEGER NOT NULL DEFAULT 0,
    "error_code" TEXT,
    "error_message" TEXT,
    "result" JSONB,
    "target" JSONB,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "cost_usd" DECIMAL(12,6) NOT NULL DEFAULT 0,
    "tokens_in" INTEGER NOT NULL DEFAULT 0,
    "tokens_out" INTEGER NOT NULL DEFAULT 0,
    "project_id" UUID,
    "requester_id" UUID,
    "installation_id" UUID,
    "parent_request_id" UUID,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "generation_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "generated_components" (
    "id" UUID NOT NULL,
    "request_id" UUID NOT NULL,
    "path" TEXT NOT NULL,
    "content_hash" TEXT NOT NULL,
    "bytes" INTEGER NOT NULL,
    "agent" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "generated_components_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agent_sessions" (
    "id" UUID NOT NULL,
    "request_id" UUID NOT NULL,
    "agent_type" TEXT NOT NULL,
    "status" "AgentRunStatus" NOT NULL DEFAULT 'running',
    "attempt" INTEGER NOT NULL DEFAULT 1,
    "model" TEXT,
    "tokens_in" INTEGER NOT NULL DEFAULT 0,
    "tokens_out" INTEGER NOT NULL DEFAULT 0,
    "cost_usd" DECIMAL(12,6) NOT NULL DEFAULT 0,
    "started_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),
    "duration_ms" INTEGER,
    "error" TEXT,
    "results" JSONB,

    CONSTRAINT "agent_sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agent_logs" (
    "id" BIGSERIAL NOT NULL,
    "session_id" UUID NOT NULL,
    "level" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "data" JSONB,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agent_logs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "code_templates" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "framework" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "code_templates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "project_templates" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "config" JSONB NOT NULL DEFAULT '{}',
    "preview_url" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "project_templates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "pull_requests" (
    "id" UUID NOT NULL,
    "request_id" UUID,
    "project_id" UUID,
    "forge" TEXT NOT NULL,
    "repo" TEXT NOT NULL,
    "repo_url" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "url" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL DEFAULT '',
    "branch" TEXT NOT NULL,
    "base_branch" TEXT NOT NULL DEFAULT 'main',
    "head_sha" TEXT,
    "state" "PullRequestState" NOT NULL DEFAULT 'open',
    "iterations" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "pull_requests_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "platform_identities_platform_external_id_key" ON "platform_identities"("platform", "external_id");

-- CreateIndex
CREATE UNIQUE INDEX "installations_platform_external_id_key" ON "installations"("platform", "external_id");

-- CreateIndex
CREATE INDEX "projects_installation_id_idx" ON "projects"("installation_id");

-- CreateIndex
CREATE UNIQUE INDEX "generation_requests_idempotency_key_key" ON "generation_requests"("idempotency_key");

-- CreateIndex
CREATE INDEX "generation_requests_status_created_at_idx" ON "generation_requests"("status", "created_at");

-- CreateIndex
CREATE INDEX "generation_requests_installation_id_created_at_idx" ON "generation_requests"("installation_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "generated_components_request_id_path_key" ON "generated_components"("request_id", "path");

-- CreateIndex
CREATE INDEX "agent_sessions_request_id_idx" ON "agent_sessions"("request_id");

-- CreateIndex
CREATE INDEX "agent_logs_session_id_created_at_idx" ON "agent_logs"("session_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "code_templates_name_key" ON "code_templates"("name");

-- CreateIndex
CREATE UNIQUE INDEX "project_templates_name_key" ON "project_templates"("name");

-- CreateIndex
CREATE UNIQUE INDEX "pull_requests_forge_repo_number_key" ON "pull_requests"("forge", "repo", "number");

-- CreateIndex
CREATE UNIQUE INDEX "pull_requests_forge_repo_branch_key" ON "pull_requests"("forge", "repo", "branch");

-- AddForeignKey
ALTER TABLE "projects" ADD CONSTRAINT "projects_installation_id_fkey" FOREIGN KEY ("installation_id") REFERENCES "installations"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "projects" ADD CONSTRAINT "projects_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "platform_identities"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "generation_requests" ADD CONSTRAINT "generation_requests_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "generation_requests" ADD CONSTRAINT "generation_requests_requester_id_fkey" FOREIGN KEY ("requester_id") REFERENCES "platform_identities"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "generation_requests" ADD CONSTRAINT "generation_requests_installation_id_fkey" FOREIGN KEY ("installation_id") REFERENCES "installations"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "generation_requests" ADD CONSTRAINT "generation_requests_parent_request_id_fkey" FOREIGN KEY ("parent_request_id") REFERENCES "generation_requests"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "generated_components" ADD CONSTRAINT "generated_components_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "generation_requests"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agent_sessions" ADD CONSTRAINT "agent_sessions_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "generation_requests"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agent_logs" ADD CONSTRAINT "agent_logs_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "agent_sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pull_requests" ADD CONSTRAINT "pull_requests_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "generation_requests"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pull_requests" ADD CONSTRAINT "pull_requests_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- pgvector (hand-written: Prisma cannot express HNSW). Where the `vector` extension is not available
-- (e.g. Debian's PostgreSQL without pgvector) the embeddings fall back to plain float arrays and
-- similarity is computed in SQL; the service logs one warning at start-up.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') THEN
    CREATE EXTENSION IF NOT EXISTS vector;
    ALTER TABLE "code_templates" ADD COLUMN "embedding" vector(256);
    ALTER TABLE "project_templates" ADD COLUMN "embedding" vector(256);
    CREATE INDEX "code_templates_embedding_hnsw" ON "code_templates" USING hnsw ("embedding" vector_cosine_ops);
    CREATE INDEX "project_templates_embedding_hnsw" ON "project_templates" USING hnsw ("embedding" vector_cosine_ops);
  ELSE
    ALTER TABLE "code_templates" ADD COLUMN "embedding" double precision[];
    ALTER TABLE "project_templates" ADD COLUMN "embedding" double precision[];
  END IF;
END
$$;
