#!/usr/bin/env bash
# Routing-quality benchmarks recorded in docs/benchmarks.md ("Routing quality"). Needs ../shared/data beside the
# project (or DATA=...), writes reports to ${OUT:-/tmp/switchboard-bench}. Embeddings are cached, so reruns are fast.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
data="${DATA:-$root/../shared/data}"
out="${OUT:-/tmp/switchboard-bench}"
mkdir -p "$out"
cli="${SWITCHBOARD_CLI:-$root/hack/switchboard-cli}"  # SWITCHBOARD_CLI overrides, as in train-example-artifacts.sh
small=mathstral-7B,Meta-Llama-3_1-8B-Instruct,Phi-3-mini-4k-instruct,Qwen1.5-7B-Chat,Mistral-7B-Instruct-v0.2,gemma-7b,Yi-6b-Chat,Meta-Llama-3-8B
big=Meta-Llama-3_1-70B-Instruct
what="${1:-all}"  # all | mmlu-pro | mmlu-pro-cost | category | prompt-both | routerdc-gsm8k | routerdc-mmlu | knn | knn-ensemble | latency
if [[ $what == all || $what == mmlu-pro ]]; then
  "$cli" eval --train "$data/mmlu-pro/train.jsonl" --data "$data/mmlu-pro/dev.jsonl" --experts "$small" \
    --strategy cluster,classifier,reward --save-artifacts "$out/artifacts/mmlu-pro" --json "$out/mmlu-pro.json" | tee "$out/mmlu-pro.txt"
fi
if [[ $what == all || $what == mmlu-pro-cost ]]; then
  "$cli" eval --train "$data/mmlu-pro/train.jsonl" --data "$data/mmlu-pro/dev.jsonl" --experts "$small,$big" \
    --costs "*=1,$big=10" --expensive "$big" --target 0.95 --strategy cluster,classifier,reward \
    --save-artifacts "$out/artifacts/mmlu-pro-cost" --json "$out/mmlu-pro-cost.json" \
    --svg "$out/mmlu-pro-cost.svg" --png "$out/mmlu-pro-cost.png" | tee "$out/mmlu-pro-cost.txt"
fi
# two-step CoE with a trained category classifier; --threshold: top posterior below it goes to the train-best expert
if [[ $what == all || $what == category ]]; then
  "$cli" eval --train "$data/mmlu-pro/train.jsonl" --data "$data/mmlu-pro/dev.jsonl" --experts "$small" \
    --strategy category --threshold 0.3,0.5,0.7,0.9 --save-artifacts "$out/artifacts/mmlu-pro-category" \
    --json "$out/mmlu-pro-category.json" 2> >(tee "$out/mmlu-pro-category.log" >&2) | tee "$out/mmlu-pro-category.txt"
fi
# training text: question+options (default) vs both (each question with its options and alone), every router scored
# on the dev questions with their options and on the bare dev questions
if [[ $what == all || $what == prompt-both ]]; then
  for p in question+options both; do
    "$cli" eval --train "$data/mmlu-pro/train.jsonl" --data "$data/mmlu-pro/dev.jsonl" --experts "$small" \
      --strategy category,cluster,classifier,reward --prompt "$p" --save-artifacts "$out/artifacts/prompt-$p" \
      | tee "$out/prompt-$p.txt"
    "$cli" eval --train "$data/mmlu-pro/train.jsonl" --data "$data/mmlu-pro/dev.jsonl" --prompt question \
      $(for s in category cluster classifier reward; do echo --artifact "$out/artifacts/prompt-$p/$s.json"; done) \
      | tee "$out/prompt-$p-bare-dev.txt"
  done
  # both against question+options on the same dev queries, with and without options (paired difference vs the first)
  for dev in question+options question; do
    for s in category cluster classifier reward; do
      "$cli" eval --train "$data/mmlu-pro/train.jsonl" --data "$data/mmlu-pro/dev.jsonl" --prompt "$dev" \
        --artifact "$out/artifacts/prompt-question+options/$s.json" --artifact "$out/artifacts/prompt-both/$s.json" \
        | tee "$out/prompt-both-vs-options-$s-dev-$dev.txt"
    done
  done
fi
for task in gsm8k mmlu; do
  if [[ $what == all || $what == "routerdc-$task" ]]; then
    "$cli" eval --data "$data/routerdc-7/${task}_train.jsonl" --test-fraction 0.2 \
      --strategy cluster,classifier,reward --threshold 0.5,0.7 \
      --save-artifacts "$out/artifacts/routerdc-$task" --json "$out/routerdc-$task.json" | tee "$out/routerdc-$task.txt"
  fi
done
# kNN success predictor (classifier artifact, model knn): all training queries, and 512 k-means centroids
if [[ $what == all || $what == knn ]]; then
  for c in 0 512; do
    "$cli" eval --train "$data/mmlu-pro/train.jsonl" --data "$data/mmlu-pro/dev.jsonl" --experts "$small" \
      --strategy knn --centroids $c --save-artifacts "$out/artifacts/mmlu-pro-knn$c" \
      --json "$out/mmlu-pro-knn$c.json" 2> >(tee "$out/mmlu-pro-knn$c.log" >&2) | tee "$out/mmlu-pro-knn$c.txt"
    "$cli" eval --train "$data/mmlu-pro/train.jsonl" --data "$data/mmlu-pro/dev.jsonl" --experts "$small,$big" \
      --costs "*=1,$big=10" --expensive "$big" --target 0.95 --strategy knn --centroids $c \
      --json "$out/mmlu-pro-cost-knn$c.json" | tee "$out/mmlu-pro-cost-knn$c.txt"
  done
  for task in gsm8k mmlu; do
    "$cli" eval --data "$data/routerdc-7/${task}_train.jsonl" --test-fraction 0.2 --strategy knn --threshold 0.5,0.7 \
      --json "$out/routerdc-$task-knn.json" | tee "$out/routerdc-$task-knn.txt"
  done
fi
if [[ $what == all || $what == knn-ensemble ]]; then
  cp_file="$root/router-lab/target/bench-classpath.txt"
  (cd "$root" && mvn -B -q -o -pl router-lab -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$cp_file" >&2)
fi
if [[ $what == all || $what == knn-ensemble ]]; then
  # kNN averaged with the logistic classifier / the reward router, weights chosen on the hold-out
  java -Xmx3g -cp "$root/router-lab/target/test-classes:$root/router-lab/target/classes:$(cat "$cp_file")" \
    dev.switchboard.lab.bench.KnnEnsembleBench "$data/mmlu-pro/train.jsonl" "$data/mmlu-pro/dev.jsonl" "$small" \
    | tee "$out/knn-ensemble.txt"
fi
if [[ $what == all || $what == latency ]]; then
  # encoder throughput and decision latency on one core, with the mmlu-pro routers trained above; metaLLM against
  # an in-process stand-in meta model answering at once (the router's side of the decision only)
  cp_file="$root/router-lab/target/bench-classpath.txt"
  (cd "$root" && mvn -B -q -o -pl router-lab -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$cp_file" >&2)
  taskset -c 0 java -XX:ActiveProcessorCount=1 \
    -cp "$root/router-lab/target/test-classes:$root/router-lab/target/classes:$(cat "$cp_file")" \
    dev.switchboard.lab.bench.LearnedDecisionLatencyBench "$data/mmlu-pro/dev.jsonl" \
    "$out"/artifacts/mmlu-pro/{cluster,classifier,reward}.json \
    $(ls "$out"/artifacts/mmlu-pro-knn{0,512}/knn.json "$out"/artifacts/mmlu-pro-category/category.json 2>/dev/null) \
    | tee "$out/latency.txt"
fi
