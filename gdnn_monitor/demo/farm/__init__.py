"""Local imitation news sites on 127.0.0.x in the shapes of real Vietnamese CMS families, with the faults real
sites have. The crawler tests measure collection against what they serve; the benchmark and `gdnn-monitor demo`
run on them too. Each site knows exactly which articles it serves (`expected`)."""
