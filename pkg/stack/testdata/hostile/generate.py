#!/usr/bin/env python3
"""Writes the hostile-input corpus of kcstack validate.

Each file starts with a comment line saying what it tries, then one
`# want:` line per error validate must report (`L:C field [~ text]`, `-`
for no field) or `# want: valid`. Positions are computed here from where
the generator puts the hostile value, not taken from kcstack's output.
Run from this directory: python3 generate.py
"""
import json, os

ROSA_TARGET = '''    - name: rosa-a
      rosa:
        cluster: gh-keycloak-a
        vpc: {tags: {Name: gh-keycloak-a-vpc}}
        machineCidr: 10.0.0.0/16
        instances: 3
'''

HERE = os.path.dirname(os.path.abspath(__file__))
ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:sso/'

BASE = '''kind: Stack
apiVersion: kcstack.io/v1alpha1
metadata:
  name: hostile
spec:
  region: eu-west-1
  keycloak:
    hostname: auth.example.com
    version: "26.4.2"
    db:
      poolSize: 30
    extraOptions:
      log-level: INFO
  tags:
    team: identity
  database:
    aurora:
      clusterIdentifier: hostile-db
      engineVersion: "16.8"
      instanceClass: db.r7g.large
      instances: 2
      port: 5432
      backupRetentionDays: 7
      vpc: {cidr: 192.168.0.0/24}
  targets:
    - name: ecs-main
      ecs:
        vpc: {cidr: 10.10.0.0/16}
        tasks: 3
        cpu: 2048
        memory: 4096
        logRetentionDays: 30
        loadBalancer:
          certificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666
    - name: rosa-a
      rosa:
        cluster: gh-keycloak-a
        vpc: {tags: {Name: gh-keycloak-a-vpc}}
        machineCidr: 10.0.0.0/16
        instances: 3
  discovery:
    mode: jdbc-ping
  caches:
    owners: 2
    overrides:
      authenticationSessions: 2
'''

def lines_of(text):
    return text.split('\n')

def locate(body, marker, nth=0):
    """Line and column (1-based) of the nth occurrence of marker."""
    seen = 0
    for i, line in enumerate(lines_of(body)):
        col = line.find(marker)
        while col >= 0:
            if seen == nth:
                return i + 1, col + 1
            seen += 1
            col = line.find(marker, col + 1)
    raise KeyError(marker)

def replace_value(body, key_line, value):
    """Replaces the value of the unique line `key_line: ...`; returns body and
    the value's position."""
    out, pos = [], None
    for i, line in enumerate(lines_of(body)):
        stripped = line.lstrip()
        if stripped.startswith(key_line + ':') and pos is None:
            indent = line[:len(line) - len(stripped)]
            prefix = indent + key_line + ': '
            line = prefix + value
            pos = (i + 1, len(prefix) + 1)
        out.append(line)
    assert pos, key_line
    return '\n'.join(out), pos

def insert_after(body, anchor, text):
    assert anchor in body, anchor
    return body.replace(anchor, anchor + text, 1)

def write(name, what, body, wants, binary=False):
    """wants: list of (line, col, field, text) in body coordinates, or None
    for a valid stack."""
    header = ['# hostile: ' + what]
    if wants is None:
        header.append('# want: valid')
    else:
        for (l, c, f, t) in wants:
            header.append('# want: %d:%d %s%s' % (l + len(header_lines(wants)), c, f or '-', (' ~ ' + t) if t else ''))
    data = ('\n'.join(header) + '\n').encode() + (body if binary else body.encode())
    with open(os.path.join(HERE, name + '.yaml'), 'wb') as f:
        f.write(data)

def header_lines(wants):
    return ['# hostile'] + (['# want'] * max(1, len(wants or [])))

# Positions the generator cannot compute without redoing the loader's walk
# (where an expansion exhausts the budget), checked by hand.
PINNED = json.load(open(os.path.join(HERE, 'pinned.json')))
PINNED = {k: [tuple(w) for w in v] for k, v in PINNED.items()}

# --- every numeric field out of range ------------------------------------
NUMERIC = [
    # (file stem, key as written, field path, min, max)
    ('pool-size', 'poolSize', 'spec.keycloak.db.poolSize', 1, 262143),
    ('aurora-instances', 'instances', 'spec.database.aurora.instances', 1, 16),
    ('aurora-port', 'port', 'spec.database.aurora.port', 1150, 65535),
    ('backup-retention', 'backupRetentionDays', 'spec.database.aurora.backupRetentionDays', 1, 35),
    ('ecs-tasks', 'tasks', 'spec.targets[0].ecs.tasks', 1, 5000),
    ('ecs-memory', 'memory', 'spec.targets[0].ecs.memory', 512, 122880),
    ('cache-owners', 'owners', 'spec.caches.owners', 1, 5000),
    ('owners-override', 'authenticationSessions', 'spec.caches.overrides.authenticationSessions', 1, 5000),
]

def numeric_body(key, value):
    """The first line with key: Aurora's instances come before ROSA's."""
    return replace_value(BASE, key, value)

for stem, key, path, lo, hi in NUMERIC:
    variants = [
        ('over', str(hi + 1), 'must be at most %d, not %d' % (hi, hi + 1)),
        ('under', str(lo - 1), 'must be at least %d, not %d' % (lo, lo - 1)),
        ('uint32-wrap', '4294967298', 'must be at most %d, not 4294967298' % hi),
        ('int64-hex', '0x7fffffffffffffff', 'must be at most %d, not 0x7fffffffffffffff' % hi),
        ('beyond-int64', '99999999999999999999', 'must be at most %d, not 99999999999999999999' % hi),
        ('beyond-float64', '1e400', 'must be at most %d, not 1e400' % hi),
        ('below-int64', '-9223372036854775809', 'must be at least %d, not -9223372036854775809' % lo),
    ]
    for vname, value, text in variants:
        body, (l, c) = numeric_body(key, value)
        write('number-%s-%s' % (stem, vname), '%s = %s' % (path, value), body, [(l, c, path, text)])

# ROSA instances: a 32-bit integer in the Keycloak custom resource.
rosa = BASE.replace('        instances: 3\n  discovery', '        instances: 2147483648\n  discovery')
l, c = locate(rosa, '2147483648')
write('number-rosa-instances-over', 'spec.targets[1].rosa.instances = 2^31', rosa,
      [(l, c, 'spec.targets[1].rosa.instances', 'must be at most 2147483647, not 2147483648')])
# enums and wrong types of numbers
for stem, key, value, path, text in [
    ('ecs-cpu-not-fargate', 'cpu', '16385', 'spec.targets[0].ecs.cpu', '16385 is not one of'),
    ('ecs-cpu-huge', 'cpu', '0x7fffffffffffffff', 'spec.targets[0].ecs.cpu', 'is not one of'),
    ('log-retention-not-allowed', 'logRetentionDays', '4000', 'spec.targets[0].ecs.logRetentionDays', '4000 is not one of'),
    ('tasks-float', 'tasks', '2.5', 'spec.targets[0].ecs.tasks', 'must be an integer, not number'),
    ('tasks-string', 'tasks', '"3"', 'spec.targets[0].ecs.tasks', 'must be an integer, not string'),
    ('tasks-infinity', 'tasks', '.inf', 'spec.targets[0].ecs.tasks', 'must be an integer, not string'),
    ('tasks-null', 'tasks', '~', 'spec.targets[0].ecs.tasks', 'must be an integer, not null'),
    ('port-bool', 'port', 'true', 'spec.database.aurora.port', 'must be an integer, not boolean'),
]:
    body, (l, c) = replace_value(BASE, key, value)
    write('type-' + stem, '%s = %s' % (path, value), body, [(l, c, path, text)])
# An error about a list or mapping is at its key.
body, _ = replace_value(BASE, 'tasks', '[3]')
l, c = locate(body, 'tasks:')
write('type-tasks-list', 'spec.targets[0].ecs.tasks = [3]', body, [(l, c, 'spec.targets[0].ecs.tasks', 'must be an integer, not array')])

# --- strings over their limits -------------------------------------------
def string_case(stem, key, value, path, text, base=BASE):
    body, (l, c) = replace_value(base, key, value)
    write('string-' + stem, '%s: %d characters' % (path, len(value)), body, [(l, c, path, text)])

string_case('stack-name-33', 'name', 'a' * 33, 'metadata.name', 'at most 32 characters long, not 33')
string_case('hostname-2049', 'hostname', 'https://auth.example.com/' + 'p' * 2024, 'spec.keycloak.hostname', 'at most 2048 characters long')
string_case('version-long', 'version', '"26.4.' + '2' * 40 + '"', 'spec.keycloak.version', 'at most 32 characters')
string_case('cluster-identifier-64', 'clusterIdentifier', 'k' * 64, 'spec.database.aurora.clusterIdentifier', 'at most 63 characters long, not 64')
string_case('certificate-arn-long', 'certificateArn', 'arn:aws:acm:eu-west-1:123456789012:certificate/' + 'a' * 2048, 'spec.targets[0].ecs.loadBalancer.certificateArn', 'at most 2048 characters')
long_target = BASE.replace('- name: ecs-main', '- name: ' + 'e' * 33)
l, c = locate(long_target, 'e' * 33)
write('string-target-name-33', 'spec.targets[0].name: 33 characters', long_target, [(l, c, 'spec.targets[0].name', 'at most 32 characters long, not 33')])

def derived(stem, what, body, marker, path, text, nth=0):
    l, c = locate(body, marker, nth)
    write('name-' + stem, what, body, [(l, c, path, text)])

long_stack = BASE.replace('name: hostile', 'name: ' + 's' * 24, 1)
derived('lb-over-32', '<stack>-<target> is 33 characters: load balancer and target group names', long_stack,
        'ecs-main', 'spec.targets[0].name', 'AWS allows at most 32')
inst = BASE.replace('clusterIdentifier: hostile-db', 'clusterIdentifier: ' + 'k' * 61).replace('instances: 2\n', 'instances: 16\n', 1)
derived('db-instance-over-63', 'the 16th instance of a 61-character cluster is named with 64', inst,
        'k' * 61, 'spec.database.aurora.clusterIdentifier', 'RDS allows at most 63')
for stem, bucket, text in [('bucket-ip', '192.168.1.10', 'look like an IP address'),
                           ('bucket-dot-dash', 'my.-bucket', 'next to another dot'),
                           ('bucket-reserved-suffix', 'kc-jgroups-s3alias', 'names ending with "-s3alias"')]:
    # s3-ping is ECS only: the ROSA target goes, so the bucket is the one mistake.
    b = BASE.replace(ROSA_TARGET, '').replace('  discovery:\n    mode: jdbc-ping\n', '  discovery:\n    mode: s3-ping\n    s3Ping:\n      bucket: %s\n' % bucket)
    l, c = locate(b, bucket)
    write('name-' + stem, 'S3 bucket ' + bucket, b, [(l, c, 'spec.discovery.s3Ping.bucket', text)])

# --- huge values ------------------------------------------------------------
big = insert_after(BASE, '      log-level: INFO\n', '      spi-big: ' + 'x' * 9000 + '\n')
l, c = locate(big, 'spi-big')
write('huge-option-value', 'one extraOptions value of 9,000 characters', big,
      [(l, c, 'spec.keycloak.extraOptions.spi-big', 'at most 8192 characters long, not 9000: an ECS task definition holds at most 64 KiB')])
many = BASE
for i in range(5):
    many = insert_after(many, '      log-level: INFO\n', '      spi-part-%d: %s\n' % (i, 'y' * 7000))
l, c = locate(many, 'extraOptions')
write('huge-options-total', 'five extraOptions values of 7,000 characters: 35 KB of the task definition', many,
      [(l, c, 'spec.keycloak.extraOptions', 'ECS task definition holds at most 64 KiB')])
opts = BASE
for i in range(201):
    opts = insert_after(opts, '      log-level: INFO\n', '      spi-o%d: v\n' % i)
l, c = locate(opts, 'extraOptions')
write('huge-option-count', '202 extraOptions', opts, [(l, c, 'spec.keycloak.extraOptions', 'at most 200 entries, not 202')])
nodes = BASE + 'x-bulk: [' + ','.join(['1'] * 60000) + ']\n'
write('huge-document-nodes', '60,000 list items: more values than a stack file may expand to', nodes, PINNED['huge-document-nodes'])
feats = BASE.replace('    hostname: auth.example.com\n', '    hostname: auth.example.com\n    features: [' + ', '.join('f%d' % i for i in range(101)) + ']\n')
l, c = locate(feats, 'features')
write('huge-feature-list', '101 features', feats, [(l, c, 'spec.keycloak.features', 'at most 100 items, not 101')])

# --- YAML bombs and nesting ---------------------------------------------------
laughs = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]']
for i in range(1, 9):
    laughs.append('a%d: &a%d [%s]' % (i, i, ', '.join(['*a%d' % (i - 1)] * 10)))
bomb = BASE + 'x-laughs:\n' + ''.join('  ' + s + '\n' for s in laughs)
nest = BASE + 'x-deep:\n' + ''.join('  ' * (i + 1) + 'k:\n' for i in range(99)) + '  ' * 100 + 'end\n'
# Where the expansion runs over the budget depends on the loader's walk;
# these positions were checked by hand to lie inside the expanding value.
write('bomb-billion-laughs', 'billion laughs: nine levels of ten aliases each', bomb, PINNED['bomb-billion-laughs'])
merge_bomb = BASE + 'x-merge:\n  m0: &m0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8}\n' + ''.join(
    '  m%d: &m%d [%s]\n' % (i, i, ', '.join(['*m%d' % (i - 1)] * 10)) for i in range(1, 7))
write('bomb-aliased-mappings', 'a million mappings through six levels of ten aliases', merge_bomb, PINNED['bomb-aliased-mappings'])
# The root is at depth 0, x-deep's value at 1: the value of the 63rd k is
# the first at depth 64, a mapping on the line of the 64th k.
write('deep-block-100', '100 nested block mappings', nest,
      [(len(lines_of(BASE)) + 64, 2 * 64 + 1, 'x-deep' + '.k' * 63, 'too large or too deeply nested')])

flow = BASE + 'x-flow: ' + '[' * 20000 + ']' * 20000 + '\n'
l = len(lines_of(BASE))
write('deep-flow-20000', '20,000 nested flow lists: beyond the parser\'s own limit', flow,
      [(l, 8 + 65, 'x-flow', 'nested more than 64 levels deep')])
flow70 = BASE + 'spec2:\n  a: {b: ' + '{c: ' * 70 + '1' + '}' * 71 + '\n'
write('deep-flow-70', '70 nested flow mappings', flow70, [(l + 1, 6 + 4 * 64, 'spec2.a', 'nested more than 64 levels deep')])

# --- bad bytes ------------------------------------------------------------------
def bad(stem, what, raw, marker_line_prefix, col, path, text):
    body = BASE.encode()
    body = body.replace(raw[0], raw[1], 1)
    l = [i + 1 for i, s in enumerate(body.split(b'\n')) if s.lstrip().startswith(marker_line_prefix)][0]
    write('bytes-' + stem, what, body, [(l, col, path, text)], binary=True)

bad('invalid-utf8-value', 'byte 0xFF in a value', (b'hostname: auth.example.com', b'hostname: auth.ex\xffample.com'), b'hostname:', 22, 'spec.keycloak.hostname', 'byte 0xFF is not valid UTF-8')
bad('invalid-utf8-key', 'byte 0xFE in a key', (b'    team: identity', b'    te\xfeam: identity'), b'te', 7, 'spec.tags["te am"]', 'byte 0xFE is not valid UTF-8')
bad('truncated-utf8', 'a multi-byte character cut short', (b'team: identity', b'team: id\xc3'), b'team:', 13, 'spec.tags.team', 'byte 0xC3 is not valid UTF-8')
bad('overlong-utf8', 'an overlong encoding of NUL', (b'team: identity', b'team: id\xc0\x80x'), b'team:', 13, 'spec.tags.team', 'byte 0xC0 is not valid UTF-8')
bad('surrogate-utf8', 'a UTF-16 surrogate encoded as UTF-8', (b'team: identity', b'team: id\xed\xa0\x80'), b'team:', 13, 'spec.tags.team', 'byte 0xED is not valid UTF-8')
bad('nul-byte', 'a raw NUL byte in a value', (b'instanceClass: db.r7g.large', b'instanceClass: db.r7g\x00.large'), b'instanceClass:', 28, 'spec.database.aurora.instanceClass', 'NUL byte')
bad('bell', 'a BEL control character in a value', (b'tasks: 3', b'tasks: 3\x07'), b'tasks:', 17, 'spec.targets[0].ecs.tasks', 'control character U+0007')
bad('escape', 'an ESC control character in a key', (b'        memory: 4096', b'        mem\x1bory: 4096'), b'mem', 12, 'spec.targets[0].ecs["mem ory"]', 'control character U+001B')
bad('delete', 'a DEL character in a value', (b'region: eu-west-1', b'region: eu-west-1\x7f'), b'region:', 20, 'spec.region', 'control character U+007F')
bad('c1-control', 'a C1 control character (U+009B) in a value', (b'region: eu-west-1', b'region: eu\xc2\x9b-west-1'), b'region:', 13, 'spec.region', 'control character U+009B')
bad('noncharacter', 'U+FFFE in a value', (b'region: eu-west-1', b'region: eu\xef\xbf\xbe-west-1'), b'region:', 13, 'spec.region', 'control character U+FFFE')
bad('control-in-comment', 'a control character in a comment', (b'  discovery:', b'  # note \x01\n  discovery:'), b'# note', 10, None, 'control character U+0001')
nul_escape = BASE.replace('hostname: auth.example.com', 'hostname: "auth\\0.example.com"')
l, c = locate(nul_escape, '"auth')
write('bytes-nul-escape', 'a NUL written as the \\0 escape', nul_escape,
      [(l, c, 'spec.keycloak.hostname', 'NUL character'), (l, c, 'spec.keycloak.hostname', 'is not a host name')])

# --- tags -------------------------------------------------------------------------
def entry_case(prefix, anchor, stem, what, line, path, text, col):
    """A file with line added after anchor; the error at col of that line."""
    body = BASE.replace(anchor, anchor + line + '\n')
    l = lines_of(body).index(line) + 1
    write(prefix + stem, what, body, [(l, col(line), path, text)])

def tag_case(stem, what, line, path, text):
    entry_case('tags-', '    team: identity\n', stem, what, line, path, text, lambda _: 5)

tag_case('name', 'spec.tags.Name, which kcstack sets itself on most resources', '    Name: my-stack', 'spec.tags.Name', 'the Name tag is kcstack\'s')
tag_case('aws-prefix', 'a tag key starting with aws:', '    aws:cloudformation:stack-name: x', 'spec.tags["aws:cloudformation:stack-name"]', 'reserved')
tag_case('aws-prefix-upper', 'a tag key starting with AWS:', '    AWS:x: y', 'spec.tags["AWS:x"]', 'reserved')
tag_case('kcstack-prefix', 'a tag key starting with kcstack:', '    kcstack:address: spoofed', 'spec.tags["kcstack:address"]', 'reserved')
tag_case('bad-key-chars', 'a tag key with characters IAM refuses', '    "owner!": x', 'spec.tags["owner!"]', 'must be 1 to 127 letters')
tag_case('key-128', 'a tag key of 128 characters (EC2 allows 127)', '    ' + 'k' * 128 + ': x', 'spec.tags.' + 'k' * 128, 'must be 1 to 127 letters')
# An error about an entry of a free-form map (tags, extraOptions) is at its key.
tag_case('value-256', 'a tag value of 256 characters (EC2 allows 255)', '    owner: ' + 'v' * 256, 'spec.tags.owner', 'at most 255 characters long, not 256')
tag_case('bad-value-chars', 'a tag value with characters IAM refuses', '    owner: "a<b>"', 'spec.tags.owner', 'may hold only letters')
body = BASE.replace('    team: identity\n', ''.join('    t%02d: v\n' % i for i in range(48)))
write('tags-48', '48 user tags: with Name, kcstack:stack and kcstack:address, 51 on a resource', body,
      [locate(body, 'tags:') + ('spec.tags', 'at most 47 entries, not 48')])

# --- secrets ------------------------------------------------------------------------
def secret_case(stem, what, line, path, text):
    entry_case('secret-', '      log-level: INFO\n', stem, what, line, path, text, lambda l: l.index(': ') + 3)

secret_case('smtp-auth-key', 'spi-email-smtp-auth-key as a literal', '      spi-email-smtp-auth-key: hunter2', 'spec.keycloak.extraOptions.spi-email-smtp-auth-key', 'holds a literal secret')
secret_case('signing-key', 'a signing key as a literal', '      spi-x-signing-key: c2VjcmV0', 'spec.keycloak.extraOptions.spi-x-signing-key', 'holds a literal secret')
secret_case('key-store-password', 'a key store password as a literal', '      https-key-store-password: changeit', 'spec.keycloak.extraOptions.https-key-store-password', 'holds a literal secret')
secret_case('client-secret', 'a client secret as a literal', '      spi-x-client-secret: abc', 'spec.keycloak.extraOptions.spi-x-client-secret', 'holds a literal secret')
secret_case('token', 'a token as a literal', '      spi-x-token: abc', 'spec.keycloak.extraOptions.spi-x-token', 'holds a literal secret')
secret_case('proxy-url', 'a proxy URL with user:password@', '      proxy-url: http://bob:hunter2@proxy.internal:3128', 'spec.keycloak.extraOptions.proxy-url', 'holds credentials')
secret_case('proxy-mappings', 'proxy mappings with a password', '      spi-connections-http-client-default-proxy-mappings: ".*\\\\.example\\\\.com;http://u:p@proxy:8080"', 'spec.keycloak.extraOptions.spi-connections-http-client-default-proxy-mappings', 'holds credentials')
secret_case('password-parameter', 'a URL with a password parameter', '      spi-x-url: "https://h/x?user=a&password=b"', 'spec.keycloak.extraOptions.spi-x-url', 'holds credentials')
secret_case('not-an-arn', 'a secret option whose value looks like an ARN of another service', '      spi-truststore-file-password: arn:aws:ssm:eu-west-1:123456789012:parameter/x', 'spec.keycloak.extraOptions.spi-truststore-file-password', 'holds a literal secret')
url_cred = BASE.replace('hostname: auth.example.com', 'hostname: https://admin:pw@auth.example.com')
l, c = locate(url_cred, 'https://admin')
write('secret-hostname-credentials', 'credentials in the hostname URL', url_cred, [(l, c, 'spec.keycloak.hostname', 'holds credentials')])

# --- duplicate keys, wrong shapes -------------------------------------------------------
dup = BASE.replace('        cpu: 2048\n', '        cpu: 2048\n        cpu: 4096\n')
l, c = locate(dup, 'cpu', 1)
write('dup-key', 'a key written twice', dup, [(l, c, 'spec.targets[0].ecs.cpu', 'duplicate key "cpu" (first at line %d)' % (l - 1 + len(header_lines([1]))))])
dupspec = BASE + 'spec:\n  region: us-east-1\n'
l = len(lines_of(BASE))
write('dup-key-top', 'spec written twice', dupspec, [(l, 1, 'spec', 'duplicate key "spec" (first at line %d)' % (locate(BASE, 'spec:')[0] + 2))])
spec_list = BASE[:BASE.index('spec:')] + 'spec: [region, tags]\n'
l, c = locate(spec_list, 'spec:')
write('shape-spec-list', 'spec as a list', spec_list, [(l, c, 'spec', 'must be an object, not array')])
NOROSA = BASE[:BASE.index('    - name: rosa-a')] + BASE[BASE.index('  discovery:'):]
for stem, old, new, marker, path, text in [
    ('targets-map', '  targets:\n    - name: ecs-main\n      ecs:', '  targets:\n    main:\n      name: ecs-main\n      ecs:', 'targets:', 'spec.targets', 'must be an array, not object'),
    ('metadata-null', 'metadata:\n  name: hostile', 'metadata: ~', '~', 'metadata', 'must be an object, not null'),
    ('key-list', '    team: identity', '    [a, b]: identity', '[a, b]', 'spec.tags', 'a key must be a string'),
    ('extra-option-number', '      log-level: INFO', '      log-level: 3', 'log-level', 'spec.keycloak.extraOptions.log-level', 'must be a string, not number'),
]:
    body = NOROSA.replace(old, new, 1)
    assert body != NOROSA, stem
    l, c = locate(body, marker)
    write('shape-' + stem, path + ' of the wrong shape', body, [(l, c, path, text)])

# --- valid edge cases: applied on the sandbox ---------------------------------------------
EDGE = BASE.replace('''    - name: rosa-a
      rosa:
        cluster: gh-keycloak-a
        vpc: {tags: {Name: gh-keycloak-a-vpc}}
        machineCidr: 10.0.0.0/16
        instances: 3
''', '').replace('    owners: 2\n    overrides:\n      authenticationSessions: 2\n', '    owners: 2\n')
EDGE = EDGE.replace('      instances: 2\n      port: 5432', '      instances: 2\n      deletionProtection: false\n      skipFinalSnapshot: true\n      port: 5432')
write('valid-baseline', 'the ECS stack every edge case starts from', EDGE, None)
names = EDGE.replace('name: hostile', 'name: ' + 'n' * 23, 1) \
            .replace('clusterIdentifier: hostile-db', 'clusterIdentifier: ' + 'c' * 60)
write('valid-longest-names', 'the longest names: <stack>-<target> of 32, a cluster identifier of 60 (instances <id>-2)', names, None)
tags = EDGE.replace('    team: identity\n', ''.join('    %s: %s\n' % ('k%02d' % i + 'x' * (124 if i == 0 else 0), ('v' * 255) if i == 1 else 'é ü_.:/=+-@%d' % i) for i in range(47)))
write('valid-most-tags', '47 user tags, one key of 127 and one value of 255 characters (EC2\'s limits)', tags, None)
tasks = EDGE.replace('tasks: 3', 'tasks: 5000').replace('instances: 2\n', 'instances: 16\n', 1).replace('    owners: 2\n', '    owners: 5000\n')
write('valid-most-tasks', '5,000 tasks (the ECS per-service limit), 5,000 owners and 16 Aurora instances', tasks, None)
opts = EDGE.replace('      log-level: INFO\n', '      log-level: INFO\n' + ''.join('      spi-edge-%d: %s\n' % (i, 'z' * 8192) for i in range(3)) +
                    '      spi-email-smtp-auth-key: %ssmtp-AbCdEf\n      proxy-url: %sproxy-AbCdEf\n      https-certificate-key-file: /opt/keycloak/conf/tls.key\n' % (ARN, ARN))
write('valid-largest-options', 'three options of 8,192 characters, a secret-like option and a credentialed URL as secret ARNs, a key file path', opts, None)

# --- YAML syntax errors: placed at the character that made the parser fail ---------------
# One case a line, fields separated by " | " (\n and \t are a line break
# and a tab): file stem, what, text replaced, its replacement, marker of
# the position, its occurrence, field, message. In quote-closed-late the
# quote ends at the next line's first quote, the rest of that line is
# hostname's value as the parser reads it, and it fails after it.
SYNTAX = r'''
mapping-value | a value holding ": " | hostname: auth.example.com | hostname: auth.example.com: 443 | : 443 | 0 | spec.keycloak.hostname | mapping values are not allowed in this context
tab-indent | a tab after the indentation of a key |       poolSize: 30 |       \tpoolSize: 30 | \t | 0 | spec.keycloak.db | found character that cannot start any token
at-sign | a value starting with @ | region: eu-west-1 | region: @eu-west-1 | @ | 0 | spec.region | found character that cannot start any token
backtick | a value starting with a backtick | cluster: gh-keycloak-a | cluster: `gh-keycloak-a` | ` | 0 | spec.targets[1].rosa.cluster | found character that cannot start any token
unclosed-double-quote | a double quote never closed | authenticationSessions: 2 | authenticationSessions: "2 | "2 | 1 | spec.caches.overrides.authenticationSessions | found unexpected end of stream; close the quote opened here
quote-closed-late | a double quote closed by the next line's | hostname: auth.example.com | hostname: "auth.example.com | 26.4.2 | 0 | spec.keycloak.hostname | did not find expected key
unclosed-single-quote | a single quote never closed |     team: identity |     team: 'identity | 'identity | 0 | spec.tags.team | found unexpected end of stream; close the quote opened here
unclosed-flow-sequence | a flow sequence never closed |     hostname: auth.example.com\n |     hostname: auth.example.com\n    features: [token-exchange, admin-fine-grained-authz\n | [token | 0 | spec.keycloak.features | did not find expected ',' or ']'; close the collection opened here
unclosed-flow-mapping | a flow mapping never closed | vpc: {cidr: 10.10.0.0/16} | vpc: {cidr: 10.10.0.0/16 | {cidr: 10.10 | 0 | spec.targets[0].ecs.vpc | did not find expected ',' or '}'; close the collection opened here
unclosed-inner-flow | an inner flow mapping closed, the outer not | vpc: {tags: {Name: gh-keycloak-a-vpc}} | vpc: {tags: {Name: gh-keycloak-a-vpc} | {tags | 0 | spec.targets[1].rosa.vpc | did not find expected ',' or '}'
bad-indent | a key indented one space less than its siblings |     version: "26.4.2" |    version: "26.4.2" | version | 0 | spec.keycloak | did not find expected key
missing-colon | a key without its colon |     team: identity\n |     team: identity\n    owner\n | owner | 0 | spec.tags | could not find expected ':'
unknown-alias | an alias to an anchor never defined | poolSize: 30 | poolSize: *pool | *pool | 0 | spec.keycloak.db.poolSize | unknown anchor 'pool' referenced
'''
for row in SYNTAX.strip().split('\n'):
    stem, what, old, new, marker, nth, path, text = [f.replace('\\n', '\n').replace('\\t', '\t') for f in row.split(' | ')]
    body = BASE.replace(old, new, 1)
    assert body != BASE, stem
    write('syntax-' + stem, what, body, [locate(body, marker, int(nth)) + (path, text)])

# --- Redis ---------------------------------------------------------------------------
# BASE with a Redis for one application on each target; replicas and
# snapshotRetentionDays are written so that their values can be replaced.
REDIS = BASE + '''  redis:
    replicas: 1
    snapshotRetentionDays: 7
    applications:
      - name: shop
        environment: prod
        keyPrefix: shop
        from: [ecs-main, rosa-a]
'''
for stem, key, path, lo, hi in [('redis-replicas', 'replicas', 'spec.redis.replicas', 1, 5),
                                 ('redis-snapshot-retention', 'snapshotRetentionDays', 'spec.redis.snapshotRetentionDays', 0, 35)]:
    for vname, value, text in [('over', str(hi + 1), 'must be at most %d, not %d' % (hi, hi + 1)),
                               ('under', str(lo - 1), 'must be at least %d, not %d' % (lo, lo - 1)),
                               ('beyond-int64', '99999999999999999999', 'must be at most %d, not 99999999999999999999' % hi)]:
        body, (l, c) = replace_value(REDIS, key, value)
        write('number-%s-%s' % (stem, vname), '%s = %s' % (path, value), body, [(l, c, path, text)])
string_case('redis-key-prefix-65', 'keyPrefix', 'p' * 65, 'spec.redis.applications[0].keyPrefix', 'at most 64 characters long, not 65', base=REDIS)
body = REDIS.replace('      - name: shop\n', '      - name: ' + 'a' * 24 + '\n').replace('environment: prod', 'environment: ' + 'e' * 8)
derived('redis-user-id-over-40', '<stack>-<name>-<environment> is 41 characters: an ElastiCache user id', body,
        'a' * 24, 'spec.redis.applications[0].name', 'kcstack keeps ElastiCache identifiers to 40')
many = REDIS.replace('        from: [ecs-main, rosa-a]\n', '        from: [%s]\n' % ', '.join('10.%d.0.0/16' % i for i in range(21)))
l, c = locate(many, 'from:')
write('huge-redis-from', 'one application with 21 sources', many, [(l, c, 'spec.redis.applications[0].from', 'must list at most 20 items')])
