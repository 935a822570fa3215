import sys

from domain.cli import main

sys.exit(main())
