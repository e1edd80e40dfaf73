"""Evaluate a checkpoint on dev and the seed test split, with baselines.

    python train/eval.py --model models/claimrisk --reports reports
"""

import argparse
import sys

from claimrisk.data import DataError


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="models/claimrisk")
    parser.add_argument("--data", default="data")
    parser.add_argument("--reports", default="reports")
    parser.add_argument("--bootstrap", type=int, default=1000)
    args = parser.parse_args(argv)
    from claimrisk.evaluation import evaluate_checkpoint

    try:
        report = evaluate_checkpoint(args.model, args.data, args.reports, bootstrap=args.bootstrap)
    except (DataError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    test = report["splits"]["test"]
    print(open(f"{args.reports}/eval.md", encoding="utf-8").read())
    print(f"seed test macro-F1 {test['macro_f1']:.3f}; reports written to {args.reports}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
