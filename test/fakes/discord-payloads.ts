// Discord API object shapes the fake sends (v10, only the fields discord.js reads).

let counter = 0n;
/** A fresh snowflake id: the time since Discord's epoch in the high bits (discord.js reads timestamps from it). */
export const snowflake = () => String(((BigInt(Date.now()) - 1_420_070_400_000n) << 22n) + (counter++ % 4096n));

export interface FakeUser {
  id: string;
  username: string;
  bot?: boolean;
}

export interface FakeGuild {
  id: string;
  name: string;
  /** Text channels (type 0) and forums (type 15). */
  channels: { id: string; name: string; type?: number }[];
  /** Threads (type 11) under a channel. */
  threads?: { id: string; name: string; parentId: string }[];
  roles?: { id: string; name: string }[];
  /** Role ids the bot's own member has (for role mentions). */
  botRoles?: string[];
}

export const userObject = (u: FakeUser) => ({
  id: u.id,
  username: u.username,
  global_name: u.username,
  discriminator: "0",
  avatar: null,
  bot: u.bot ?? false,
});

export function guildCreate(guild: FakeGuild, bot: FakeUser) {
  const now = new Date().toISOString();
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    owner_id: "1",
    unavailable: false,
    member_count: 2,
    joined_at: now,
    large: false,
    features: [],
    emojis: [],
    stickers: [],
    roles: [{ id: guild.id, name: "@everyone", permissions: "0", position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 }].concat(
      (guild.roles ?? []).map((r, i) => ({ id: r.id, name: r.name, permissions: "0", position: i + 1, color: 0, hoist: false, managed: false, mentionable: true, flags: 0 })),
    ),
    channels: guild.channels.map((c, i) => ({ id: c.id, name: c.name, type: c.type ?? 0, guild_id: guild.id, position: i, permission_overwrites: [] })),
    threads: (guild.threads ?? []).map((t) => threadObject(guild.id, t)),
    members: [{ user: userObject(bot), roles: guild.botRoles ?? [], joined_at: now, deaf: false, mute: false, flags: 0 }],
    voice_states: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
  };
}

export const threadObject = (guildId: string, t: { id: string; name: string; parentId: string }) => ({
  id: t.id,
  name: t.name,
  type: 11,
  guild_id: guildId,
  parent_id: t.parentId,
  owner_id: "1",
  thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString(), locked: false },
  message_count: 0,
  member_count: 1,
});

export interface InboundSpec {
  channelId: string;
  /** Omitted for DMs (then `channel_type: 1`). */
  guildId?: string;
  author: FakeUser;
  content: string;
  /** Users @mentioned. */
  mentions?: FakeUser[];
  mentionRoles?: string[];
  /** The sender's role ids (guild messages). */
  roles?: string[];
  /** A message this one replies to. */
  replyTo?: { id: string; author: FakeUser; content: string };
  attachments?: { id: string; filename: string; size: number; url: string; content_type?: string }[];
  id?: string;
}

export function messageObject(spec: InboundSpec, channelType?: number) {
  const id = spec.id ?? snowflake();
  const reply = spec.replyTo
    ? {
        message_reference: { message_id: spec.replyTo.id, channel_id: spec.channelId, ...(spec.guildId ? { guild_id: spec.guildId } : {}) },
        referenced_message: baseMessage(spec.replyTo.id, spec.channelId, spec.guildId, spec.replyTo.author, spec.replyTo.content),
      }
    : {};
  return {
    ...baseMessage(id, spec.channelId, spec.guildId, spec.author, spec.content),
    type: spec.replyTo ? 19 : 0,
    mentions: (spec.mentions ?? []).map(userObject),
    mention_roles: spec.mentionRoles ?? [],
    attachments: (spec.attachments ?? []).map((a) => ({ ...a, proxy_url: a.url })),
    ...(spec.guildId ? { member: { roles: spec.roles ?? [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 } } : {}),
    ...(channelType !== undefined ? { channel_type: channelType } : {}),
    ...reply,
  };
}

export function baseMessage(id: string, channelId: string, guildId: string | undefined, author: FakeUser, content: string) {
  return {
    id,
    channel_id: channelId,
    ...(guildId ? { guild_id: guildId } : {}),
    author: userObject(author),
    content,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    type: 0,
    flags: 0,
  };
}
