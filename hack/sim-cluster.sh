#!/usr/bin/env bash
# A simulated GPU cluster on loopback: real etcd, kube-apiserver, kube-controller-manager and kube-scheduler, plus
# kwok simulating nodes (default 4 GPU nodes x 8 nvidia.com/gpu and 2 CPU-only nodes). kwok marks scheduled pods
# Running with IPs from 10.244.0.0/16, and at once Ready, unless SIM_POD_READINESS=agent: then they stay not Ready
# (hack/sim-cluster-pod-stages.yaml) until the e2e pod agent marks them. No traffic is ever sent to those IPs: the
# pod agent runs each pod's process on 127.0.0.1, records podIP:port -> 127.0.0.1:port in an address map
# (EndpointSlices may not hold loopback addresses, so the pods cannot simply get 127.x IPs) and marks the pod Ready
# once its process passes the pod's readiness probe, as a kubelet does.
#
#   hack/sim-cluster.sh up [STATE_DIR]     start (prints the kubeconfig path); idempotent
#   hack/sim-cluster.sh down [STATE_DIR]   stop everything started by 'up'
#   hack/sim-cluster.sh env [STATE_DIR]    print 'export KUBECONFIG=...'
#
# Env: SIM_GPU_NODES (4), SIM_GPUS_PER_NODE (8), SIM_CPU_NODES (2), SIM_API_PORT (free port),
#      SIM_POD_READINESS (kwok: Ready at once, for a cluster without the pod agent; agent: the pod agent sets it).
set -euo pipefail
cd "$(dirname "$0")/.."

cmd="${1:-up}"
STATE="${2:-${SIM_STATE:-$PWD/target/sim-cluster}}"
GPU_NODES="${SIM_GPU_NODES:-4}"
GPUS_PER_NODE="${SIM_GPUS_PER_NODE:-8}"
CPU_NODES="${SIM_CPU_NODES:-2}"
case "${SIM_POD_READINESS:-kwok}" in
  kwok) pod_stages=() ;;
  agent) pod_stages=(--config="$PWD/hack/sim-cluster-pod-stages.yaml") ;;
  *) echo "SIM_POD_READINESS must be kwok or agent, not '$SIM_POD_READINESS'" >&2; exit 2 ;;
esac

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
log() { echo "[sim-cluster] $*" >&2; }

stop_all() {
  [ -d "$STATE/pids" ] || return 0
  for pidfile in "$STATE"/pids/*; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || true
  done
  sleep 1
  for pidfile in "$STATE"/pids/*; do
    [ -f "$pidfile" ] || continue
    kill -9 "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  done
  log "stopped"
}

case "$cmd" in
  down) stop_all; exit 0 ;;
  env) echo "export KUBECONFIG=$STATE/kubeconfig"; exit 0 ;;
  up) ;;
  *) echo "usage: $0 up|down|env [STATE_DIR]" >&2; exit 2 ;;
esac

BIN="$(./hack/k8s-binaries.sh kube-apiserver etcd kube-controller-manager kube-scheduler kubectl kwok | tail -n 1)"
KUBECTL="$BIN/kubectl"

if [ -f "$STATE/kubeconfig" ] && "$KUBECTL" --kubeconfig "$STATE/kubeconfig" get --raw /readyz >/dev/null 2>&1; then
  log "already running"; echo "$STATE/kubeconfig"; exit 0
fi
stop_all
rm -rf "$STATE"; mkdir -p "$STATE/pids" "$STATE/logs"
# a failed or interrupted start leaves nothing running
trap 'log "start failed: stopped what was started; logs in $STATE/logs"; stop_all; exit 1' ERR INT TERM

start() { # name args...
  local name="$1"; shift
  "$@" >"$STATE/logs/$name.log" 2>&1 &
  echo $! > "$STATE/pids/$name"
}

TOKEN=$(python3 -c 'import uuid; print(uuid.uuid4())')
echo "$TOKEN,switchboard-admin,switchboard-admin-uid,\"system:masters\"" > "$STATE/tokens.csv"
openssl genrsa -out "$STATE/sa.key" 2048 2>/dev/null
openssl rsa -in "$STATE/sa.key" -pubout -out "$STATE/sa.pub" 2>/dev/null

ETCD_PORT=$(free_port); PEER_PORT=$(free_port); API_PORT="${SIM_API_PORT:-$(free_port)}"
start etcd "$BIN/etcd" --data-dir="$STATE/etcd" \
  --listen-client-urls="http://127.0.0.1:$ETCD_PORT" --advertise-client-urls="http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls="http://127.0.0.1:$PEER_PORT" --initial-advertise-peer-urls="http://127.0.0.1:$PEER_PORT" \
  --initial-cluster="default=http://127.0.0.1:$PEER_PORT" --unsafe-no-fsync=true --log-level=warn

start kube-apiserver "$BIN/kube-apiserver" --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
  --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$API_PORT" \
  --cert-dir="$STATE/certs" --token-auth-file="$STATE/tokens.csv" --authorization-mode=Node,RBAC \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$STATE/sa.pub" --service-account-signing-key-file="$STATE/sa.key" \
  --service-cluster-ip-range=10.96.0.0/16 --allow-privileged=true --enable-priority-and-fairness=false

cat > "$STATE/kubeconfig" <<KCFG
apiVersion: v1
kind: Config
clusters:
- name: switchboard-sim
  cluster:
    server: https://127.0.0.1:$API_PORT
    insecure-skip-tls-verify: true
users:
- name: admin
  user:
    token: $TOKEN
contexts:
- name: switchboard-sim
  context: {cluster: switchboard-sim, user: admin, namespace: default}
current-context: switchboard-sim
KCFG
K() { "$KUBECTL" --kubeconfig "$STATE/kubeconfig" "$@"; }

for _ in $(seq 1 150); do
  K get --raw /readyz >/dev/null 2>&1 && break
  if ! kill -0 "$(cat "$STATE/pids/kube-apiserver")" 2>/dev/null; then tail -30 "$STATE/logs/kube-apiserver.log" >&2; exit 1; fi
  sleep 0.2
done
K get --raw /readyz >/dev/null

start kube-controller-manager "$BIN/kube-controller-manager" --kubeconfig="$STATE/kubeconfig" \
  --authentication-kubeconfig="$STATE/kubeconfig" --authorization-kubeconfig="$STATE/kubeconfig" \
  --bind-address=127.0.0.1 --secure-port="$(free_port)" --leader-elect=false \
  --use-service-account-credentials=false --service-account-private-key-file="$STATE/sa.key" \
  --root-ca-file="$STATE/certs/apiserver.crt" \
  --controllers='*,-nodeipam,-cloud-node-lifecycle,-service-lb-controller'
start kube-scheduler "$BIN/kube-scheduler" --kubeconfig="$STATE/kubeconfig" \
  --authentication-kubeconfig="$STATE/kubeconfig" --authorization-kubeconfig="$STATE/kubeconfig" \
  --bind-address=127.0.0.1 --secure-port="$(free_port)" --leader-elect=false
# --node-lease-duration-seconds: kwok renews each node's Lease as a kubelet does. Without it kwok only rewrites the
# node conditions every 20-45 s, which the node lifecycle controller (grace period 50 s) sometimes finds stale: it
# then marks the nodes NotReady and every pod on them not Ready.
start kwok "$BIN/kwok" --kubeconfig="$STATE/kubeconfig" --node-lease-duration-seconds=40 \
  --manage-all-nodes=false --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
  --cidr=10.244.0.1/16 --node-ip=127.0.0.1 --server-address=127.0.0.1:$(free_port) \
  ${pod_stages[@]+"${pod_stages[@]}"}

node() { # name gpus [gpu-product]
  cat <<NODE
apiVersion: v1
kind: Node
metadata:
  name: $1
  annotations: {kwok.x-k8s.io/node: fake, node.alpha.kubernetes.io/ttl: "0"}
  labels:
    kubernetes.io/hostname: $1
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    type: kwok
    switchboard.dev/sim-gpu: "$([ "$2" -gt 0 ] && echo true || echo false)"$([ -n "${3:-}" ] && echo "
    nvidia.com/gpu.product: $3")
spec: {}
status:
  allocatable: {cpu: "64", memory: 512Gi, pods: "110"$([ "$2" -gt 0 ] && echo ", nvidia.com/gpu: \"$2\"")}
  capacity: {cpu: "64", memory: 512Gi, pods: "110"$([ "$2" -gt 0 ] && echo ", nvidia.com/gpu: \"$2\"")}
---
NODE
}
{
  # half the GPU nodes carry L4s, half A100s (as GPU feature discovery would label them)
  for i in $(seq 0 $((GPU_NODES - 1))); do
    node "gpu-node-$i" "$GPUS_PER_NODE" "$([ $((i % 2)) -eq 0 ] && echo NVIDIA-L4 || echo NVIDIA-A100-SXM4-80GB)"
  done
  for i in $(seq 0 $((CPU_NODES - 1))); do node "cpu-node-$i" 0; done
} > "$STATE/nodes.yaml"
K apply -f "$STATE/nodes.yaml" >/dev/null
# nodes appear with status from the manifest only if created; kwok keeps them Ready
for _ in $(seq 1 100); do
  ready=$(K get nodes --no-headers 2>/dev/null | grep -c " Ready" || true)
  [ "$ready" -ge $((GPU_NODES + CPU_NODES)) ] && break
  sleep 0.2
done
trap - ERR INT TERM
log "up: $((GPU_NODES + CPU_NODES)) nodes ($GPU_NODES with $GPUS_PER_NODE nvidia.com/gpu), API https://127.0.0.1:$API_PORT"
echo "$STATE/kubeconfig"
