import { z } from 'zod';

/*
 * The parts of Discord's interaction payload Autonoma reads, validated at the boundary. Unknown keys
 * are dropped; a payload that lacks what we need is answered with a clear error, never guessed at.
 */

const SnowflakeSchema = z.string().regex(/^\d{1,25}$/);

const UserSchema = z.object({
  id: SnowflakeSchema,
  username: z.string().max(100),
  global_name: z.string().max(100).nullish(),
  bot: z.boolean().optional(),
});

const OptionValueSchema = z.object({
  name: z.string().max(100),
  type: z.number().int(),
  value: z.union([z.string(), z.number(), z.boolean()]).optional(),
});

const SubcommandSchema = OptionValueSchema.extend({
  options: z.array(OptionValueSchema).max(25).optional(),
});

export const InteractionSchema = z.object({
  id: SnowflakeSchema,
  application_id: SnowflakeSchema,
  type: z.number().int(),
  token: z.string().min(1).max(1000),
  guild_id: SnowflakeSchema.optional(),
  channel_id: SnowflakeSchema.optional(),
  channel: z
    .object({ id: SnowflakeSchema, type: z.number().int(), parent_id: SnowflakeSchema.nullish() })
    .optional(),
  member: z.object({ user: UserSchema, roles: z.array(SnowflakeSchema).max(500) }).optional(),
  user: UserSchema.optional(),
  data: z
    .object({
      name: z.string().max(100).optional(),
      options: z.array(SubcommandSchema).max(25).optional(),
      custom_id: z.string().max(100).optional(),
      component_type: z.number().int().optional(),
    })
    .optional(),
  message: z.object({ id: SnowflakeSchema, channel_id: SnowflakeSchema }).optional(),
});
export type Interaction = z.infer<typeof InteractionSchema>;

/** The user behind an interaction, in a guild (`member.user`) or a DM (`user`). */
export function interactionUser(interaction: Interaction): z.infer<typeof UserSchema> | undefined {
  return interaction.member?.user ?? interaction.user;
}

/** The first-level subcommand of `/autonoma <sub>` and its options as a name → value map. */
export function subcommandOf(interaction: Interaction): {
  name: string | undefined;
  options: Record<string, string | number | boolean>;
} {
  const sub = interaction.data?.options?.[0];
  const options: Record<string, string | number | boolean> = {};
  for (const option of sub?.options ?? []) {
    if (option.value !== undefined) options[option.name] = option.value;
  }
  return { name: sub?.name, options };
}

/** Thread channel types (announcement, public, private): a job started in one keeps that thread. */
export const THREAD_CHANNEL_TYPES: ReadonlySet<number> = new Set([10, 11, 12]);
