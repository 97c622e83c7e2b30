# a hook
