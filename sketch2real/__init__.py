__version__ = "0.0.1"

# The model API is re-exported here lazily: `import sketch2real` (and `sketch2real --help`) must not import PyTorch.
_LAZY = {'create_model': 'decoder', 'save_checkpoint': 'decoder', 'load_checkpoint': 'decoder'}  # name → submodule

def __getattr__(name):
    if name in _LAZY:
        from importlib import import_module
        return getattr(import_module(f'{__name__}.{_LAZY[name]}'), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

def __dir__(): return sorted(set(globals()) | set(_LAZY))
