# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 00 · Index: the course at a glance
#
# Cross-entropy, felt with sliders: every idea is a figure you can move. Open a notebook, run it from the top (**Run → Run All Cells**), then move the sliders; the **Scenes** buttons above a figure jump to the settings the text discusses.
#
# Start with 01 and go in order: each notebook lists its prerequisites at the top.

# %% [markdown]
# ## The notebooks
#
# | # | notebook | what it is about | launch |
# |---|---|---|---|
# | 01 | [Surprise](01_surprise.ipynb) | where cross-entropy comes from | [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/xentlib/cross-entropy-notebooks/v0.1.0?labpath=notebooks%2F01_surprise.ipynb) [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/xentlib/cross-entropy-notebooks/blob/v0.1.0/notebooks/01_surprise.ipynb) |
# | 02 | [Gradients](02_gradients.ipynb) | why cross-entropy learns from "prediction minus target" | [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/xentlib/cross-entropy-notebooks/v0.1.0?labpath=notebooks%2F02_gradients.ipynb) [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/xentlib/cross-entropy-notebooks/blob/v0.1.0/notebooks/02_gradients.ipynb) |
# | 03 | [Squared error vs cross-entropy](03_mse_vs_ce.ipynb) | why classifiers use the log | [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/xentlib/cross-entropy-notebooks/v0.1.0?labpath=notebooks%2F03_mse_vs_ce.ipynb) [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/xentlib/cross-entropy-notebooks/blob/v0.1.0/notebooks/03_mse_vs_ce.ipynb) |
# | 04 | [XOR](04_xor_features.ipynb) | a loss is only as good as the representation it sees | [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/xentlib/cross-entropy-notebooks/v0.1.0?labpath=notebooks%2F04_xor_features.ipynb) [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/xentlib/cross-entropy-notebooks/blob/v0.1.0/notebooks/04_xor_features.ipynb) |
# | 05 | [Calibration](05_calibration.ipynb) | when a model says 70 %, is it right 70 % of the time? | [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/xentlib/cross-entropy-notebooks/v0.1.0?labpath=notebooks%2F05_calibration.ipynb) [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/xentlib/cross-entropy-notebooks/blob/v0.1.0/notebooks/05_calibration.ipynb) |
# | 06 | [Class imbalance](06_imbalance.ipynb) | when one class has 99 votes and the other has 1 | [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/xentlib/cross-entropy-notebooks/v0.1.0?labpath=notebooks%2F06_imbalance.ipynb) [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/xentlib/cross-entropy-notebooks/blob/v0.1.0/notebooks/06_imbalance.ipynb) |
# | 07 | [Perplexity](07_lm_perplexity.ipynb) | cross-entropy for language models | [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/xentlib/cross-entropy-notebooks/v0.1.0?labpath=notebooks%2F07_lm_perplexity.ipynb) [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/xentlib/cross-entropy-notebooks/blob/v0.1.0/notebooks/07_lm_perplexity.ipynb) |
# | 08 | [Information](08_information.ipynb) | likelihood, divergences and many labels | [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/xentlib/cross-entropy-notebooks/v0.1.0?labpath=notebooks%2F08_information.ipynb) [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/xentlib/cross-entropy-notebooks/blob/v0.1.0/notebooks/08_information.ipynb) |
# | 09 | [Soft targets](09_soft_targets.ipynb) | learning from distributions instead of labels | [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/xentlib/cross-entropy-notebooks/v0.1.0?labpath=notebooks%2F09_soft_targets.ipynb) [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/xentlib/cross-entropy-notebooks/blob/v0.1.0/notebooks/09_soft_targets.ipynb) |
# | 10 | [Energy](10_energy_ood.ipynb) | knowing what you don't know | [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/xentlib/cross-entropy-notebooks/v0.1.0?labpath=notebooks%2F10_energy_ood.ipynb) [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/xentlib/cross-entropy-notebooks/blob/v0.1.0/notebooks/10_energy_ood.ipynb) |

# %% [markdown]
# ## How to launch
#
# - **On your own machine** (Python ≥ 3.10 and `make`): `make lab` opens the notebooks in JupyterLab at `http://127.0.0.1:8888`. The first run creates the virtual environment `.venv`.
# - **In class:** `make present` serves the notebooks with Voilà on `http://127.0.0.1:8866`: code hidden, text, sliders and figures only, with a landing page that lists the notebooks (this index first). Open the address it prints (it carries the access token) on the projector's browser.
# - **Binder:** the Binder badge opens the notebook in JupyterLab with the pinned environment (`environment.yml`), nothing to install. The first launch of release `v0.1.0` takes a few minutes.
# - **Colab:** the Colab badge opens the notebook in Google Colab; its first code cell installs `xentlib` v0.1.0 there (and does nothing anywhere else). Sliders work with Colab's ipywidgets 7.7.
