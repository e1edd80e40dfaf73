"""Fine-tune claimrisk.

    python train/train.py --config configs/default.yaml [--resume] [key=value ...]
    torchrun --nproc_per_node 2 train/train.py --config configs/smoke.yaml
    accelerate launch train/train.py --config configs/gpu.yaml
"""

import argparse
import os
import sys

from claimrisk.config import ConfigError, TrainConfig
from claimrisk.data import DataError


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", default="configs/default.yaml")
    parser.add_argument("--resume", action="store_true", help="continue from the newest complete checkpoint")
    parser.add_argument("overrides", nargs="*", metavar="key=value", help="override a config value")
    args = parser.parse_args(argv)
    try:
        cfg = TrainConfig.load(args.config, args.overrides)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    from claimrisk.training import train  # heavy imports only once the config is known to be good

    try:
        metrics = train(cfg, resume=args.resume)
    except DataError as exc:
        print(f"error: {exc}\nnothing was written to {cfg.output_dir}", file=sys.stderr)
        return 2
    if int(os.environ.get("RANK", "0")) != 0:
        return 0  # one summary per run, from the process that wrote the model
    dev = metrics["dev"]
    print(f"dev macro-F1 {dev['macro_f1']:.3f}  accuracy {dev['accuracy']:.3f}  ({metrics['train_runtime_s']} s)")
    print(f"model written to {cfg.output_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
