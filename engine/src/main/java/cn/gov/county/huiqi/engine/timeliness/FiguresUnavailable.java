package cn.gov.county.huiqi.engine.timeliness;

/** The county's reference data (units, working-day calendar) has not been deployed to the engine yet. */
public class FiguresUnavailable extends RuntimeException {
  public FiguresUnavailable(String message) {
    super(message);
  }
}
