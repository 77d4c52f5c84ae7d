from cadre.cli import main

raise SystemExit(main())
