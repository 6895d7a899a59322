/**
 * Which compose services are Redis, whatever their name (`broker`, `cache`, `redis6.2`): by
 * image or by command. One definition, used by init (adopt, never a second Redis by accident)
 * and by doctor's project checks.
 */
export type RedisFlavour = 'redis' | 'valkey' | 'redis-stack' | 'bitnami' | 'keydb' | 'dragonfly' | 'other';

const images: Array<[RegExp, RedisFlavour]> = [
  [/(^|\/)redis-stack(-server)?(:|@|$)/i, 'redis-stack'],
  [/(^|\/)redismod(:|@|$)/i, 'redis-stack'],
  [/(^|\/)bitnami\/(redis|valkey)(:|@|$)/i, 'bitnami'],
  [/(^|\/)valkey(:|@|$)/i, 'valkey'],
  [/(^|\/)keydb(:|@|$)/i, 'keydb'],
  [/(^|\/)dragonfly(:|@|$)/i, 'dragonfly'],
  [/(^|\/)redis(:|@|$)/i, 'redis'],
];

function text(v: unknown): string {
  if (Array.isArray(v)) return v.map(text).join(' ');
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
}

export function redisFlavour(service: Record<string, unknown> | null | undefined): RedisFlavour | undefined {
  if (!service || typeof service !== 'object') return undefined;
  const image = text(service.image);
  for (const [re, flavour] of images) if (re.test(image)) return flavour;
  const command = `${text(service.entrypoint)} ${text(service.command)}`;
  if (/\bvalkey-server\b/.test(command)) return 'valkey';
  if (/\bredis-server\b/.test(command)) return 'other';
  return undefined;
}

/** Names of the Redis services in a compose document (resolved JS, merges applied), file order. */
export function findRedisServices(services: Record<string, unknown> | null | undefined): string[] {
  if (!services || typeof services !== 'object') return [];
  return Object.entries(services)
    .filter(([, svc]) => redisFlavour(svc as Record<string, unknown>) !== undefined)
    .map(([name]) => name);
}

/** The CLI inside the image, for its health check. */
export function cliOf(flavour: RedisFlavour): string | undefined {
  if (flavour === 'valkey') return 'valkey-cli';
  if (flavour === 'keydb') return 'keydb-cli';
  if (flavour === 'dragonfly') return 'redis-cli';
  return 'redis-cli';
}

/** Datastores and infrastructure that are never "app services" to wire. */
const datastore =
  /(^|\/)(redis|valkey|keydb|dragonfly|redis-stack[^/:]*|redismod|postgres|postgis|mysql|mariadb|mongo|memcached|rabbitmq|kafka|cp-kafka|cp-zookeeper|zookeeper|clickhouse[^/:]*|elasticsearch|opensearch|minio|nginx|traefik|caddy|haproxy|smtp|exim4|maildev|mailpit|mailhog|jaeger|all-in-one|prometheus|grafana|loki|pgadmin4?|adminer|portainer|zulip-postgresql|geoipupdate|msmtpd)(:|@|$)/i;

/** A service that runs the user's code: it has build:, or an image that is not a datastore. */
export function isAppService(service: Record<string, unknown> | null | undefined): boolean {
  if (!service || typeof service !== 'object') return false;
  if (redisFlavour(service)) return false;
  if (service.build !== undefined) return true;
  const image = text(service.image);
  return image !== '' && !datastore.test(image);
}
