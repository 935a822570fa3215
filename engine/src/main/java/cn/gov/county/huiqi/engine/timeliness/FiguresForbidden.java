package cn.gov.county.huiqi.engine.timeliness;

/** The caller may not read the figures: it lacks READ_HISTORY on a process definition they count. */
public class FiguresForbidden extends RuntimeException {
  public FiguresForbidden(String message) {
    super(message);
  }
}
