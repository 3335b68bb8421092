"""``python -m bot`` = ``duban``."""

import sys

from bot.cli import main

sys.exit(main())
